// media_internal.h: private to src/services. The practice's recordings
// counted on any connection (a backup's worker has its own); who may do what
// with a session's recording.
#pragma once

#include <filesystem>

#include "core/model.h"
#include "services/access.h"
#include "services/recordings.h"
#include "store/database.h"

namespace attune::services::detail {

MediaSummary media_summary_on(store::Database& db, const std::filesystem::path& folder);

// The case of session `s`, when the person signed in may see the session and
// has at least `at_least` access to its case; else Error NotFound (a session
// not theirs to see) or Denied (one they see but may not change), as the
// other use cases answer. Linking, pauses and the offset are the case's
// clinician's; excerpts its clinician's or supervisor's; watching and coding
// from the recording anyone who sees the session (a coder: assigned).
// `action` completes "only the case's clinician may ...".
Case case_for_session(OpenPractice& practice, const Session& s, CaseAccess at_least, const char* action);

// The access those take (recording_rights() tells the window the same).
inline constexpr CaseAccess kLinksAndOffset = CaseAccess::Clinician;  // a new recording, the offset, pauses
inline constexpr CaseAccess kMarksExcerpts = CaseAccess::Reader;      // its clinician or supervisor

}  // namespace attune::services::detail
