// access.h: who sees what in one practice file (issue 16). Within one file on
// one machine, Attune itself enforces this (the practice-server issue
// enforces it in the database too):
//   - a clinician sees the cases they treat and the cases shared with them;
//   - a supervisor sees the cases whose named supervisor they are, never the
//     private process notes;
//   - a coder sees only the sessions assigned to them (with their case's
//     label and partners), and no notes at all;
//   - an administrator sees every case, never the private process notes;
//   - only the case's own clinician reads and writes its private process notes.
// A person holding several roles sees the union.
#pragma once

#include "core/model.h"

namespace attune::services {

class OpenPractice;

enum class CaseAccess {
    None,        // not theirs to see (use cases answer as if it did not exist)
    Coder,       // assigned sessions only, no notes
    Reader,      // every session and the progress notes, no private process notes
    Clinician,   // the case's own clinician: everything
};

CaseAccess case_access(OpenPractice& practice, const Case& c);
// The signed-in person may see this session (a coder: only when assigned).
bool may_see_session(OpenPractice& practice, const Case& c, RowId session_id);
bool may_read_process_notes(OpenPractice& practice, const Case& c);
// Throws attune::Error (NotFound) when the case is not the person's to see.
void require_access(OpenPractice& practice, const Case& c, CaseAccess at_least);

}  // namespace attune::services
