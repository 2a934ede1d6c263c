// schema_undo.h: SQL that takes a practice server's schema back from one
// version to the one before, as an earlier Attune left it, for the tests of
// migrating (run by the superuser).
#pragma once

#include <string>
#include <vector>

namespace attune::test {

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
