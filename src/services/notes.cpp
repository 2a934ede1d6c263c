#include "services/notes.h"

#include "core/text.h"
#include "formats/note_draft.h"
#include "services/export_gather.h"
#include "services/practice_access.h"
#include "store/repositories.h"

namespace attune::services {
namespace {

formats::SessionNoteData note_data(store::Database& db, const Session& session) {
    const auto c = store::CaseRepository(db).get(session.case_id);
    if (!c) throw Error(Error::Kind::NotFound, "the case of this session no longer exists");
    // The draft never reads the private process note.
    return detail::gather_session_note(db, *c, session, false);
}

}  // namespace

std::string assessment_draft(OpenPractice& practice, const Session& session) {
    store::Database& db = database_of(practice);
    if (!trim(store::SessionRepository(db).progress_note(session.id).assessment).empty()) return "";
    return formats::draft_assessment(note_data(db, session));
}

std::string accept_assessment_draft(OpenPractice& practice, const Session& session) {
    store::Database& db = database_of(practice);
    if (!trim(store::SessionRepository(db).progress_note(session.id).assessment).empty())
        throw Error(Error::Kind::Invalid, "session " + std::to_string(session.number) +
                                              " already has an Assessment: a draft is offered only for an empty one");
    const std::string draft = formats::draft_assessment(note_data(db, session));
    store::SessionRepository(db).accept_assessment_draft(session.id, draft);
    return draft;
}

}  // namespace attune::services
