// notes.h: the progress note's history (issue 17), and its Assessment draft (issue 18): what Attune
// writes from the coded session for an empty Assessment, and the clinician
// accepting it as it stands. The live view's notes, the review and
// `attune note accept-draft` share these. Throws attune::Error.
#pragma once

#include <string>
#include <vector>

#include "core/model.h"
#include "core/records.h"

namespace attune::services {

class OpenPractice;

// Attune's draft for the session's Assessment (formats/note_draft.h), or ""
// when the clinician has written one (an accepted draft counts as written).
std::string assessment_draft(OpenPractice& practice, const Session& session);

// Writes the current draft into the empty Assessment, marked as an accepted
// draft, and returns it. Invalid when the Assessment has text or the note is
// signed; audited.
std::string accept_assessment_draft(OpenPractice& practice, const Session& session);

// Every saved version of the session's progress note, oldest first, with who
// saved it and when (issue 17 item 7); the last is the note as it is now,
// which is what exports hold. For those who read the case's notes (never a
// coder). A signed session's note cannot change, so its history ends with
// the version that was signed.
std::vector<NoteVersion> note_history(OpenPractice& practice, const Session& session);

}  // namespace attune::services
