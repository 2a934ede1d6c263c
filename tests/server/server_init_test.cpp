// `attune server init --url URL` against a throwaway PostgreSQL 15 cluster
// (issue 21): the real binary, a non-superuser owner, run twice.
#include <catch2/catch_test_macros.hpp>
#include <string>
#include <vector>

#include "app/cli_runner.h"
#include "server/schema_undo.h"
#include "server/throwaway_cluster.h"
#include "support/test_support.h"

namespace attune::test {
namespace {

std::string init_command(const std::string& url) {
    return "server init --url " + shell_quote(url);
}

// What would change if a migration ran again: the schema's and every
// relation's oids, the policies, the version rows with their times.
std::string schema_fingerprint(const ThrowawayCluster& cluster) {
    return cluster.sql(
        cluster.superuser(), kDatabase,
        {"SELECT n.oid, (SELECT sum(c.oid::bigint) FROM pg_class c WHERE c.relnamespace = n.oid),"
         " (SELECT count(*) FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relnamespace = n.oid),"
         " (SELECT string_agg(version || ' ' || applied_at, ',' ORDER BY version) FROM attune.attune_schema_version)"
         " FROM pg_namespace n WHERE n.nspname = 'attune'"});
}

}  // namespace

TEST_CASE("server init creates the schema at version 12 and a second run changes nothing", "[server]") {
    ThrowawayCluster cluster;
    cluster.make_owner_and_database(true);
    TempDir dir;
    const std::string url = cluster.url(kOwner, kOwnerPassword, kDatabase);
    const std::string where =
        "database \"practice\" on " + cluster.socket_dir().string() + ", port " + std::to_string(cluster.port());

    const CliResult first = run_attune(init_command(url), dir.path());
    INFO(first.err);
    REQUIRE(first.exit_code == 0);
    CHECK(first.out == where + ": Attune's schema created at version 12\n");
    CHECK(first.err.empty());

    // The sixteen tables of 001_init.sql, 002's key_slots (003 adds none), 004's
    // homework and pulled_tables, 005's instruments and measures (006 and 007 add
    // none), 008's session_ratings and change_event_decisions (009 and 010 add none),
    // 011's session_pauses, 012's recordings and excerpts, a version row for each; the owner (not a
    // superuser, bound by forced row-level security) reads its version.
    CHECK(cluster.sql(cluster.superuser(), kDatabase,
                      {"SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                       " WHERE n.nspname = 'attune' AND c.relkind = 'r'",
                       "SELECT count(*), max(version) FROM attune.attune_schema_version"}) == "26\n12|12\n");
    CHECK(cluster.sql(kOwner, kDatabase, {"SELECT max(version) FROM attune.attune_schema_version"}) == "12\n");
    const std::string before = schema_fingerprint(cluster);

    const CliResult second = run_attune(init_command(url), dir.path());
    INFO(second.err);
    REQUIRE(second.exit_code == 0);
    CHECK(second.out == where + ": Attune's schema is already at version 12; nothing changed\n");
    CHECK(second.err.empty());
    CHECK(schema_fingerprint(cluster) == before);

    // A server an Attune before coders' copies made (version 2) is migrated
    // to 3 up to 12, and one from before key slots (version 1) to 2 up to 12.
    std::vector<std::string> undo_3 = undo_migration_12();
    for (const std::vector<std::string>& undo :
         {undo_migration_11(), undo_migration_10(), undo_migration_9(), undo_migration_8(), undo_migration_7(),
          undo_migration_6()})
        undo_3.insert(undo_3.end(), undo.begin(), undo.end());
    undo_3.insert(undo_3.end(), {
        "DROP TABLE attune.measures", "DROP TABLE attune.instruments",
        "DELETE FROM attune.attune_schema_version WHERE version = 5", "DROP TABLE attune.homework",
        "DROP TABLE attune.pulled_tables", "ALTER TABLE attune.sessions DROP CONSTRAINT sessions_uuid_case",
        "DELETE FROM attune.attune_schema_version WHERE version = 4",
        "DROP POLICY coder_read ON attune.cases", "DROP POLICY coder_read ON attune.participants",
        "DROP POLICY guard_read ON attune.coder_assignments", "DROP POLICY guard_read ON attune.person_role",
        "REVOKE SELECT ON attune.cases, attune.participants FROM attune_coder",
        "REVOKE SELECT ON attune.coder_assignments, attune.person_role FROM attune_guard",
        "DROP FUNCTION attune.assigned_cases()", "DELETE FROM attune.attune_schema_version WHERE version = 3"});
    const std::string policies =
        "SELECT string_agg(c.relname || ' ' || p.polname, ',' ORDER BY c.relname, p.polname) FROM pg_policy p JOIN "
        "pg_class c ON c.oid = p.polrelid WHERE p.polname IN ('coder_read', 'guard_read', 'own_read') AND c.relname "
        "IN ('cases', 'participants', 'coder_assignments', 'person_role', 'key_slots')";
    const std::string versions = "SELECT string_agg(version::text, ',' ORDER BY version) FROM attune.attune_schema_version";
    const std::string expected_policies =
        "cases coder_read,cases guard_read,coder_assignments coder_read,coder_assignments guard_read,key_slots "
        "own_read,participants coder_read,participants guard_read,person_role guard_read,person_role own_read\n";
    CHECK(cluster.sql(cluster.superuser(), kDatabase,
                      {"SELECT string_agg(polname, ',' ORDER BY polname) FROM pg_policy WHERE polrelid = "
                       "'attune.homework'::regclass"}) ==
          "clinician_insert,clinician_read,clinician_update,supervisor_read\n");
    CHECK(cluster.sql(cluster.superuser(), kDatabase,
                      {"SELECT string_agg(polname, ',' ORDER BY polname) FROM pg_policy WHERE polrelid = "
                       "'attune.measures'::regclass"}) ==
          "clinician_insert,clinician_read,clinician_update,supervisor_read\n");
    // Ratings: each group writes its own (a clinician, any rater's of their cases); decisions: clinicians only.
    CHECK(cluster.sql(cluster.superuser(), kDatabase,
                      {"SELECT string_agg(polname, ',' ORDER BY polname) FROM pg_policy WHERE polrelid = "
                       "'attune.session_ratings'::regclass",
                       "SELECT string_agg(polname, ',' ORDER BY polname) FROM pg_policy WHERE polrelid = "
                       "'attune.change_event_decisions'::regclass"}) ==
          "clinician_insert,clinician_read,clinician_update,coder_insert,coder_read,coder_update,supervisor_insert,"
          "supervisor_read,supervisor_update\n"
          "clinician_insert,clinician_read,clinician_update,supervisor_read\n");
    // Coder assignments: a case's clinician and (migration 10) its supervisor add and take them back.
    CHECK(cluster.sql(cluster.superuser(), kDatabase,
                      {"SELECT string_agg(polname, ',' ORDER BY polname) FROM pg_policy WHERE polrelid = "
                       "'attune.coder_assignments'::regclass"}) ==
          "admin_read,clinician_delete,clinician_insert,clinician_read,coder_read,guard_read,supervisor_delete,"
          "supervisor_insert,supervisor_read\n");
    // Pauses (migration 11): read with their session, added by its case's clinicians, changed by nobody.
    CHECK(cluster.sql(cluster.superuser(), kDatabase,
                      {"SELECT string_agg(polname, ',' ORDER BY polname) FROM pg_policy WHERE polrelid = "
                       "'attune.session_pauses'::regclass",
                       "SELECT string_agg(r || ' ' || has_table_privilege(r, 'attune.session_pauses', 'INSERT') || ' ' "
                       "|| has_table_privilege(r, 'attune.session_pauses', 'UPDATE') || ' ' || has_table_privilege(r, "
                       "'attune.session_pauses', 'DELETE'), ',' ORDER BY r) FROM unnest(ARRAY['attune_admin', "
                       "'attune_clinician', 'attune_coder', 'attune_supervisor']) AS r"}) ==
          "clinician_insert,clinician_read,coder_read,guard_read,supervisor_read\n"
          "attune_admin false false false,attune_clinician true false false,attune_coder false false false,"
          "attune_supervisor false false false\n");
    // Recordings' links and excerpts (migration 12): read with their session; a recording added by its
    // case's clinicians, who change its offset alone; an excerpt added by a clinician or supervisor; none
    // deleted.
    const auto privileges = [](const char* table) {
        const std::string t = std::string("'attune.") + table + "'";
        return "SELECT string_agg(r || ' ' || has_table_privilege(r, " + t + ", 'INSERT') || ' ' || "
               "has_any_column_privilege(r, " + t + ", 'UPDATE') || ' ' || has_table_privilege(r, " + t +
               ", 'DELETE'), ',' ORDER BY r) FROM unnest(ARRAY['attune_admin', 'attune_clinician', 'attune_coder', "
               "'attune_supervisor']) AS r";
    };
    CHECK(cluster.sql(cluster.superuser(), kDatabase,
                      {"SELECT string_agg(polname, ',' ORDER BY polname) FROM pg_policy WHERE polrelid = "
                       "'attune.recordings'::regclass",
                       privileges("recordings"),
                       "SELECT string_agg(polname, ',' ORDER BY polname) FROM pg_policy WHERE polrelid = "
                       "'attune.excerpts'::regclass",
                       privileges("excerpts"),
                       "SELECT string_agg(attname, ',' ORDER BY attname) FROM pg_attribute WHERE attrelid = "
                       "'attune.recordings'::regclass AND attnum > 0 AND has_column_privilege('attune_clinician', "
                       "attrelid, attnum, 'UPDATE')"}) ==
          "clinician_insert,clinician_read,clinician_update,coder_read,supervisor_read\n"
          "attune_admin false false false,attune_clinician true true false,attune_coder false false false,"
          "attune_supervisor false false false\n"
          "clinician_insert,reader_read,supervisor_insert\n"
          "attune_admin false false false,attune_clinician true false false,attune_coder false false false,"
          "attune_supervisor true false false\n"
          "offset_seconds,updated_at\n");
    CHECK(cluster.sql(cluster.superuser(), kDatabase,
                      {"SELECT string_agg(polname, ',' ORDER BY polname) FROM pg_policy WHERE polrelid = "
                       "'attune.review_comments'::regclass"}) ==
          "clinician_insert,clinician_read,clinician_update,supervisor_insert,supervisor_read,supervisor_update\n");
    // No group reads the formulation's columns (migration 7): attune.formulations() hands it out.
    CHECK(cluster.sql(cluster.superuser(), kDatabase,
                      {"SELECT string_agg(r || ' ' || has_column_privilege(r, 'attune.cases', 'goals', 'SELECT') || "
                       "' ' || has_column_privilege(r, 'attune.cases', 'label', 'SELECT'), ',' ORDER BY r) FROM "
                       "unnest(ARRAY['attune_admin', 'attune_clinician', 'attune_coder', 'attune_supervisor']) AS r",
                       "SELECT string_agg(r || ' ' || has_column_privilege(r, 'attune.participants', "
                       "'attachment_style', 'SELECT'), ',' ORDER BY r) FROM unnest(ARRAY['attune_clinician', "
                       "'attune_coder', 'attune_supervisor']) AS r"}) ==
          "attune_admin false true,attune_clinician false true,attune_coder false true,attune_supervisor false true\n"
          "attune_clinician false,attune_coder false,attune_supervisor false\n");
    CHECK(cluster.sql(cluster.superuser(), kDatabase, {policies}) == expected_policies);
    cluster.sql(cluster.superuser(), kDatabase, undo_3);
    CHECK(cluster.sql(cluster.superuser(), kDatabase, {policies}) ==
          "cases guard_read,coder_assignments coder_read,key_slots own_read,person_role own_read\n");
    const CliResult from_2 = run_attune(init_command(url), dir.path());
    INFO(from_2.err);
    REQUIRE(from_2.exit_code == 0);
    CHECK(from_2.out == where + ": Attune's schema migrated from version 2 to 12\n");
    CHECK(cluster.sql(cluster.superuser(), kDatabase, {policies, versions}) ==
          expected_policies + "1,2,3,4,5,6,7,8,9,10,11,12\n");

    std::vector<std::string> undo_2_and_3 = undo_3;
    undo_2_and_3.insert(undo_2_and_3.end(),
                        {"DROP TABLE attune.key_slots", "DELETE FROM attune.attune_schema_version WHERE version = 2"});
    cluster.sql(cluster.superuser(), kDatabase, undo_2_and_3);
    const CliResult migrated = run_attune(init_command(url), dir.path());
    INFO(migrated.err);
    REQUIRE(migrated.exit_code == 0);
    CHECK(migrated.out == where + ": Attune's schema migrated from version 1 to 12\n");
    CHECK(cluster.sql(cluster.superuser(), kDatabase,
                      {"SELECT count(*) FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE c.relname = "
                       "'key_slots'",
                       versions}) == "4\n1,2,3,4,5,6,7,8,9,10,11,12\n");

    // Stopped, the same server cannot be reached: exit 1, one line, no password.
    cluster.stop();
    const CliResult gone = run_attune(init_command(url), dir.path());
    CHECK(gone.exit_code == 1);
    CHECK(gone.out.empty());
    CHECK(count_lines(gone.err) == 1);
    CHECK(gone.err.rfind("attune server init: cannot connect to the practice server: connection to server on socket",
                         0) == 0);
    CHECK(gone.err.find(kOwnerPassword) == std::string::npos);
}

TEST_CASE("server init exits 1 with one line when nothing listens at the URL", "[server]") {
    TempDir dir;
    const std::vector<std::string> urls{
        "postgresql://someone:Secret9pw@127.0.0.1:1/practice?sslmode=verify-full",               // TCP: refused
        "postgresql://someone:Secret9pw@/practice?host=" + dir.path().string() + "&port=5432"};  // no socket there
    for (const std::string& url : urls) {
        const CliResult r = run_attune(init_command(url), dir.path());
        INFO(url << "\n" << r.err);
        CHECK(r.exit_code == 1);
        CHECK(r.out.empty());
        CHECK(count_lines(r.err) == 1);
        CHECK(r.err.rfind("attune server init: cannot connect to the practice server: ", 0) == 0);
        CHECK(r.err.find("Secret9pw") == std::string::npos);
    }
    const CliResult bad = run_attune(init_command("not a url"), dir.path());
    CHECK(bad.exit_code == 1);
    CHECK(count_lines(bad.err) == 1);
    CHECK(bad.err.rfind("attune server init: not a PostgreSQL URL: ", 0) == 0);
}

TEST_CASE("server init refuses a newer schema, a role that is not the owner, and a role that may not create roles",
          "[server]") {
    ThrowawayCluster cluster;
    cluster.make_owner_and_database(true);
    TempDir dir;
    const std::string where =
        "database \"practice\" on " + cluster.socket_dir().string() + ", port " + std::to_string(cluster.port());

    // Without CREATEROLE the first migration fails whole: no schema is left behind.
    cluster.sql(cluster.superuser(), kDatabase,
                {"CREATE ROLE plain LOGIN PASSWORD 'Plain4pw'", "GRANT CREATE ON DATABASE practice TO plain"});
    const CliResult plain = run_attune(init_command(cluster.url("plain", "Plain4pw", kDatabase)), dir.path());
    INFO(plain.err);
    CHECK(plain.exit_code == 1);
    CHECK(count_lines(plain.err) == 1);
    CHECK(plain.err.rfind("attune server init: creating or migrating Attune's schema on the practice server (" + where +
                              "): permission denied to create role",
                          0) == 0);
    CHECK(cluster.sql(cluster.superuser(), kDatabase, {"SELECT count(*) FROM pg_namespace WHERE nspname = 'attune'"}) ==
          "0\n");

    REQUIRE(run_attune(init_command(cluster.url(kOwner, kOwnerPassword, kDatabase)), dir.path()).exit_code == 0);

    // Another role that may create roles, but does not own the schema.
    cluster.sql(
        cluster.superuser(), kDatabase,
        {"CREATE ROLE other LOGIN CREATEROLE PASSWORD 'Other5pw'", "GRANT CREATE ON DATABASE practice TO other"});
    const CliResult other = run_attune(init_command(cluster.url("other", "Other5pw", kDatabase)), dir.path());
    INFO(other.err);
    CHECK(other.exit_code == 1);
    CHECK(other.err == "attune server init: role other cannot see the version of Attune's schema in the " + where +
                           ": run it as the schema's owner, practice_owner\n");

    // The owner with a wrong password: refused at the login, one line, neither password in it.
    const CliResult wrong = run_attune(init_command(cluster.url(kOwner, "Wrong8pw", kDatabase)), dir.path());
    INFO(wrong.err);
    CHECK(wrong.exit_code == 1);
    CHECK(count_lines(wrong.err) == 1);
    CHECK(wrong.err.rfind("attune server init: cannot connect to the practice server: ", 0) == 0);
    CHECK(wrong.err.find("password authentication failed for user \"practice_owner\"") != std::string::npos);
    CHECK(wrong.err.find("Wrong8pw") == std::string::npos);
    CHECK(wrong.err.find(kOwnerPassword) == std::string::npos);

    // A version this Attune does not know (a newer Attune migrated the server).
    cluster.sql(cluster.superuser(), kDatabase,
                {"INSERT INTO attune.attune_schema_version (version, description) VALUES (13, 'from the future')"});
    const CliResult newer = run_attune(init_command(cluster.url(kOwner, kOwnerPassword, kDatabase)), dir.path());
    INFO(newer.err);
    CHECK(newer.exit_code == 1);
    CHECK(newer.err == "attune server init: the " + where +
                           " has Attune's schema version 13, newer than this Attune's 12: update Attune\n");
}

}  // namespace attune::test
