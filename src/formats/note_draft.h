// note_draft.h: the Assessment Attune drafts from a coded session, for a note
// whose Assessment the clinician has not written (issue 18, item 13).
//
// Pure: the session's observations, metrics and the earlier counted sessions
// in, clinical prose out. The draft names the cycle and who pursued or
// withdrew, the ruptures and how they were repaired, the attachment signals
// answered or missed, and the change from the last counted sessions. Exports
// print it marked as a draft until the clinician edits or accepts it.
#pragma once

#include <string>

#include "formats/export_data.h"

namespace attune::formats {

// Paragraphs separated by a blank line; never empty.
std::string draft_assessment(const SessionNoteData& data);

// The line exports print above a draft, and above an accepted one.
inline constexpr const char* kDraftLead =
    "Draft written by Attune from the coded session (not yet reviewed by the clinician)";
inline constexpr const char* kAcceptedDraftLead = "Drafted by Attune from the coded session; accepted by the clinician";

}  // namespace attune::formats
