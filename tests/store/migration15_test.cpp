// Migration 15 (issue 21) on a practice written at schema 14 (built here from
// the first fourteen migrations): each pause of the live clock already there
// gets a uuid from its session's uuid and its own row, a signed session's
// pauses too (the seal stands aside for that one update only), and a pause
// made after the migration gets a uuid of its own.
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <string>

#include "store/database.h"
#include "store/repositories.h"
#include "store/schema.h"
#include "store/sqlite_access.h"
#include "support/store_fixture.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::store;

namespace {

const char* const kOpen = "3a8e1f0c-2b47-4d6e-9a10-5c6d7e8f9a0b";
const char* const kSigned = "7f0e2d1c-5b4a-4c39-8e27-1d2c3b4a5f6e";

// Dr Fourteen's case: session 1 unsigned with two pauses (ids 1 and 2),
// session 2 signed with one (id 3).
void write_schema14_practice(const std::filesystem::path& path) {
    SQLite::Database sql(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    test::write_schema_practice(sql, 14, "2026-06-01T10:00:00Z");
    const std::string at = "'2026-06-01T10:00:00Z'";
    test::write_schema_couple(sql, "Dr Fourteen", "Couple Fourteen", at);
    sql.exec("INSERT INTO sessions (id, uuid, case_id, number, date, state, active_seconds, scheme_id, created_at, "
             "updated_at) VALUES (1, '" + std::string(kOpen) + "', 1, 1, '2026-06-01', 'ended', 600, 1, " + at +
             ", " + at + "), (2, '" + std::string(kSigned) + "', 1, 2, '2026-06-08', 'ended', 900, 1, " + at + ", " +
             at + ")");
    sql.exec("INSERT INTO session_pauses (id, session_id, session_seconds, wall_seconds, began_at, origin, "
             "created_at) VALUES (1, 1, 120, 30, 1780000000, 'live', " + at + "), (2, 1, 300, 45.5, NULL, "
             "'entered', " + at + "), (3, 2, 200, 60, 1780100000, 'live', " + at + ")");
    sql.exec("INSERT INTO signatures (session_id, signer_id, role, signed_at, note_sha256) VALUES (2, 1, 'sign', " +
             at + ", '')");
}

std::string expected_uuid(const std::string& session, int id) {
    return test::sha256_uuid("attune-pause:" + session + ":" + std::to_string(id));
}

std::string column_of(Database& db, const std::string& query) {
    SQLite::Statement q(sql_of(db), query);
    std::string out;
    while (q.executeStep()) out += q.getColumn(0).getString() + "\n";
    return out;
}

}  // namespace

TEST_CASE("migration 15 gives each pause a uuid, a signed session's too, and keeps the seal on its clock",
          "[migration][pauses]") {
    test::TempDir dir;
    write_schema14_practice(dir / "fourteen.db");
    const std::unique_ptr<Database> db = test::open_upgraded(dir / "fourteen.db", "Dr Fourteen");
    REQUIRE(db->schema_version() == Database::kSchemaVersion);  // 15, and every later migration

    CHECK(column_of(*db, "SELECT uuid || ' ' || session_seconds || ' ' || wall_seconds FROM session_pauses ORDER BY "
                         "id") ==
          expected_uuid(kOpen, 1) + " 120.0 30.0\n" + expected_uuid(kOpen, 2) + " 300.0 45.5\n" +
              expected_uuid(kSigned, 3) + " 200.0 60.0\n");

    // The signed session's clock is sealed again: its pause neither changes nor gains a sibling.
    CHECK_THROWS_WITH(sql_of(*db).exec("UPDATE session_pauses SET wall_seconds = 1 WHERE id = 3"),
                      Catch::Matchers::ContainsSubstring("this session is signed: its clock is sealed"));
    CHECK_THROWS_WITH(sql_of(*db).exec("UPDATE session_pauses SET uuid = 'x' WHERE id = 3"),
                      Catch::Matchers::ContainsSubstring("this session is signed: its clock is sealed"));
    SessionRepository sessions(*db);
    CHECK_THROWS(sessions.add_pause(2, 10, 5));

    // A pause entered now has a uuid of its own, unlike any other.
    const PauseRecord added = sessions.add_pause(1, 400, 20);
    const std::string uuid =
        column_of(*db, "SELECT uuid FROM session_pauses WHERE id = " + std::to_string(added.id));
    CHECK(uuid.size() == 37);  // 36 characters and the newline
    CHECK(column_of(*db, "SELECT count(DISTINCT uuid) FROM session_pauses") == "4\n");
    // Two pauses never share one.
    CHECK_THROWS(sql_of(*db).exec("UPDATE session_pauses SET uuid = '" + expected_uuid(kOpen, 1) + "' WHERE id = 2"));
}
