#include "services/notes.h"

#include "core/text.h"
#include "formats/note_draft.h"
#include "services/access.h"
#include "services/export_gather.h"
#include "services/practice_access.h"
#include "store/repositories.h"

namespace attune::services {
namespace {

// The draft is part of the progress note: for the case's clinician and those
// who read its notes (a supervisor), never a coder; writing it is the clinician's.
Case note_case(OpenPractice& practice, const Session& session, CaseAccess at_least) {
    const auto c = store::CaseRepository(database_of(practice)).get(session.case_id);
    if (!c) throw Error(Error::Kind::NotFound, "the case of this session no longer exists");
    if (!may_see_session(practice, *c, session.id)) throw Error(Error::Kind::NotFound, "no such session");
    require_access(practice, *c, at_least);
    if (case_access(practice, *c) == CaseAccess::Coder)
        throw Error(Error::Kind::Denied, "a coder does not see the progress notes of " + c->label);
    return *c;
}

formats::SessionNoteData note_data(store::Database& db, const Case& c, const Session& session) {
    // The draft never reads the private process note.
    return detail::gather_session_note(db, c, session, false);
}

}  // namespace

std::string assessment_draft(OpenPractice& practice, const Session& session) {
    const Case c = note_case(practice, session, CaseAccess::Reader);
    store::Database& db = database_of(practice);
    if (!trim(store::SessionRepository(db).progress_note(session.id).assessment).empty()) return "";
    return formats::draft_assessment(note_data(db, c, session));
}

std::string accept_assessment_draft(OpenPractice& practice, const Session& session) {
    const Case c = note_case(practice, session, CaseAccess::Clinician);
    store::Database& db = database_of(practice);
    if (!trim(store::SessionRepository(db).progress_note(session.id).assessment).empty())
        throw Error(Error::Kind::Invalid, "session " + std::to_string(session.number) +
                                              " already has an Assessment: a draft is offered only for an empty one");
    const std::string draft = formats::draft_assessment(note_data(db, c, session));
    store::SessionRepository(db).accept_assessment_draft(session.id, draft);
    return draft;
}

std::vector<NoteVersion> note_history(OpenPractice& practice, const Session& session) {
    note_case(practice, session, CaseAccess::Reader);
    return store::SessionRepository(database_of(practice)).progress_note_versions(session.id);
}

}  // namespace attune::services
