// schema_undo.h: SQL that takes a practice server's schema back from one
// version to the one before, as an earlier Attune left it, for the tests of
// migrating (run by the superuser).
#pragma once

#include <string>
#include <vector>

namespace attune::test {

// 12 -> 11: recordings' links and excerpts stay in each copy.
inline std::vector<std::string> undo_migration_12() {
    return {"DROP TABLE attune.excerpts", "DROP TABLE attune.recordings",
            "DELETE FROM attune.pulled_tables WHERE name IN ('recordings', 'excerpts')",
            "DELETE FROM attune.attune_schema_version WHERE version = 12"};
}

// 11 -> 10: the clock's pauses stay in each copy.
inline std::vector<std::string> undo_migration_11() {
    return {"DROP TABLE attune.session_pauses", "DROP FUNCTION attune.session_pauses_seal()",
            "DELETE FROM attune.pulled_tables WHERE name = 'session_pauses'",
            "DELETE FROM attune.attune_schema_version WHERE version = 11"};
}

// 10 -> 9: only a case's clinician adds and takes back coder assignments on the server.
inline std::vector<std::string> undo_migration_10() {
    return {"DROP POLICY supervisor_insert ON attune.coder_assignments",
            "DROP POLICY supervisor_delete ON attune.coder_assignments",
            "REVOKE INSERT, DELETE ON attune.coder_assignments FROM attune_supervisor",
            "DELETE FROM attune.attune_schema_version WHERE version = 10"};
}

// 9 -> 8: a removed review comment keeps a text on the server, as before (a removed row
// gets one back here, standing for the text an earlier Attune left there).
inline std::vector<std::string> undo_migration_9() {
    return {"DROP TRIGGER review_comments_removed_text ON attune.review_comments",
            "DROP FUNCTION attune.empty_removed_comment()",
            "ALTER TABLE attune.review_comments DROP CONSTRAINT review_comments_body_check",
            "UPDATE attune.review_comments SET body = 'the text it had' WHERE removed",
            "ALTER TABLE attune.review_comments ADD CONSTRAINT review_comments_body_check CHECK (length(body) "
            "BETWEEN 1 AND 5000)",
            "DELETE FROM attune.attune_schema_version WHERE version = 9"};
}

// 8 -> 7: second raters' ratings and change-event decisions stay in each copy.
inline std::vector<std::string> undo_migration_8() {
    return {"DROP TABLE attune.session_ratings", "DROP TABLE attune.change_event_decisions",
            "DROP FUNCTION attune.treats_session(uuid, uuid)",
            "DELETE FROM attune.pulled_tables WHERE name IN ('session_ratings', 'change_event_decisions')",
            "DELETE FROM attune.attune_schema_version WHERE version = 8"};
}

// 7 -> 6: the formulation readable by the clinicians', supervisors' and administrators' groups again.
inline std::vector<std::string> undo_migration_7() {
    return {"DROP FUNCTION attune.formulations()", "DROP POLICY guard_read ON attune.participants",
            "DROP POLICY guard_read ON attune.case_shares",
            "REVOKE SELECT ON attune.participants, attune.case_shares FROM attune_guard",
            "GRANT SELECT ON attune.cases TO attune_clinician, attune_supervisor, attune_admin",
            "GRANT SELECT ON attune.participants TO attune_clinician, attune_supervisor",
            "DELETE FROM attune.attune_schema_version WHERE version = 7"};
}

// 6 -> 5: review comments insert-only again.
inline std::vector<std::string> undo_migration_6() {
    return {"DROP POLICY clinician_update ON attune.review_comments",
            "DROP POLICY supervisor_update ON attune.review_comments",
            "REVOKE UPDATE ON attune.review_comments FROM attune_clinician, attune_supervisor",
            "ALTER TABLE attune.review_comments DROP COLUMN updated_at, DROP COLUMN removed",
            "DELETE FROM attune.attune_schema_version WHERE version = 6"};
}

}  // namespace attune::test
