// note_history.cpp: every saved version of a progress note (migration 9).
// Each writer of progress_notes keeps the note it wrote as a version, in its
// own transaction: SessionRepository's save and accepted draft, the bundle
// merge and the demo writer.
#include "store/repositories.h"
#include "store/sqlite_access.h"

namespace attune::store {

void keep_note_versions(SQLite::Database& sql, const std::string& sessions, RowId author_id, NoteVersion::How how,
                        std::optional<RowId> session_id) {
    // Not a copy of the latest version: a save that changed nothing adds none.
    SQLite::Statement keep(
        sql,
        "INSERT INTO main.progress_note_versions (session_id, data, assessment, plan, assessment_source, saved_at, "
        "author_id, how) SELECT n.session_id, n.data, n.assessment, n.plan, n.assessment_source, n.updated_at, "
        "(SELECT id FROM main.people WHERE id = :author), :how FROM main.progress_notes n WHERE n.session_id IN " +
            sessions +
            " AND NOT EXISTS (SELECT 1 FROM main.progress_note_versions v WHERE v.id = (SELECT MAX(id) FROM "
            "main.progress_note_versions WHERE session_id = n.session_id) AND v.data = n.data AND v.assessment = "
            "n.assessment AND v.plan = n.plan AND v.assessment_source = n.assessment_source) ORDER BY n.session_id");
    keep.bind(":author", author_id);
    keep.bind(":how", std::string(to_string(how)));
    if (session_id) keep.bind(":session", *session_id);
    keep.exec();
}

std::vector<NoteVersion> SessionRepository::progress_note_versions(RowId session_id) const {
    std::vector<NoteVersion> out;
    try {
        SQLite::Statement q(sql_of(db_),
                            "SELECT v.data, v.assessment, v.plan, v.assessment_source, v.saved_at, "
                            "COALESCE(p.name, ''), v.how FROM progress_note_versions v LEFT JOIN people p ON p.id = "
                            "v.author_id WHERE v.session_id = ? ORDER BY v.id");
        q.bind(1, session_id);
        while (q.executeStep()) {
            NoteVersion v;
            v.number = static_cast<int>(out.size()) + 1;
            v.note.data = q.getColumn(0).getString();
            v.note.assessment = q.getColumn(1).getString();
            v.note.plan = q.getColumn(2).getString();
            v.note.assessment_source =
                parse_assessment_source(q.getColumn(3).getString()).value_or(AssessmentSource::Clinician);
            v.saved_at = q.getColumn(4).getString();
            v.author = q.getColumn(5).getString();
            v.how = parse_note_version_how(q.getColumn(6).getString()).value_or(NoteVersion::How::Edited);
            out.push_back(std::move(v));
        }
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the progress note's history failed");
    }
    return out;
}

}  // namespace attune::store
