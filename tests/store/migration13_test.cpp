// Migration 13 (issue 21) on a practice written at schema 12 (built here from
// the first twelve migrations): each review comment already there gets the
// uuid every copy and the practice server derive alike from what cannot
// change about it (server migration 6 derives the same), its updated_at is
// its created_at; an edit keeps the uuid and moves updated_at; taking a
// comment down leaves its tombstone.
#include <catch2/catch_test_macros.hpp>
#include <string>

#include "store/database.h"
#include "store/repositories.h"
#include "store/schema.h"
#include "store/signing.h"
#include "store/sqlite_access.h"
#include "support/store_fixture.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::store;

namespace {

const char* const kSession = "0b5c2f7e-4a51-4f0e-9d1c-1c2d3e4f5a6b";

// Dr Twelve's case with one session and three comments: one at 30 s, and two
// with the same text and creation time at 50 s and 40 s (ranked by moment).
void write_schema12_practice(const std::filesystem::path& path) {
    SQLite::Database sql(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    test::write_schema_practice(sql, 12, "2026-06-01T10:00:00Z");
    const std::string at = "'2026-06-01T10:00:00Z'";
    test::write_schema_couple(sql, "Dr Twelve", "Couple Twelve", at);
    sql.exec("INSERT INTO sessions (id, uuid, case_id, number, date, state, active_seconds, scheme_id, created_at, "
             "updated_at) VALUES (1, '" + std::string(kSession) + "', 1, 1, '2026-06-01', 'ended', 600, 1, " + at +
             ", " + at + ")");
    sql.exec("INSERT INTO review_comments (id, session_id, author_id, t, body, created_at) VALUES "
             "(1, 1, 1, 30, 'slow down here', '2026-06-01T11:00:00Z'), "
             "(2, 1, 1, 50, 'again', '2026-06-01T11:05:00Z'), "
             "(3, 1, 1, 40, 'again', '2026-06-01T11:05:00Z')");
}

// The uuid by its definition: the first 16 bytes of the SHA-256 of the text, 8-4-4-4-12.
std::string expected_uuid(const std::string& body, const std::string& created_at, int rank) {
    return test::sha256_uuid("attune-comment:" + std::string(kSession) + ":Dr Twelve:" + created_at + ":" + body +
                             ":" + std::to_string(rank));
}

std::string column_of(Database& db, const std::string& query) {
    SQLite::Statement q(sql_of(db), query);
    std::string out;
    while (q.executeStep()) out += q.getColumn(0).getString() + "\n";
    return out;
}

}  // namespace

TEST_CASE("migration 13 gives each comment the uuid every copy derives alike; edits keep it, removals leave a "
          "tombstone",
          "[migration][comments]") {
    test::TempDir dir;
    write_schema12_practice(dir / "twelve.db");
    const std::unique_ptr<Database> db = test::open_upgraded(dir / "twelve.db", "Dr Twelve");
    REQUIRE(db->schema_version() == Database::kSchemaVersion);  // 13, and every later migration

    CHECK(column_of(*db, "SELECT uuid || ' ' || updated_at FROM review_comments ORDER BY id") ==
          expected_uuid("slow down here", "2026-06-01T11:00:00Z", 1) + " 2026-06-01T11:00:00Z\n" +
              expected_uuid("again", "2026-06-01T11:05:00Z", 2) + " 2026-06-01T11:05:00Z\n" +
              expected_uuid("again", "2026-06-01T11:05:00Z", 1) + " 2026-06-01T11:05:00Z\n");
    // Not the same uuid for the two alike: the table keeps uuids unique.
    CHECK(expected_uuid("again", "2026-06-01T11:05:00Z", 1) != expected_uuid("again", "2026-06-01T11:05:00Z", 2));

    ReviewCommentRepository comments(*db);
    comments.edit(1, 1, 31, "slow down here, please");
    const std::string after_edit = column_of(*db, "SELECT uuid || ' ' || body FROM review_comments WHERE id = 1");
    CHECK(after_edit == expected_uuid("slow down here", "2026-06-01T11:00:00Z", 1) + " slow down here, please\n");
    CHECK(column_of(*db, "SELECT updated_at > created_at FROM review_comments WHERE id = 1") == "1\n");

    comments.remove(1, 3);
    CHECK(column_of(*db, "SELECT uuid || ' ' || session_id FROM removed_comments") ==
          expected_uuid("again", "2026-06-01T11:05:00Z", 1) + " 1\n");
    CHECK(comments.list(1).size() == 2);

    // A new comment has a uuid of its own, and its updated_at is its creation.
    const ReviewComment added = comments.add(1, 12, "a new one");
    CHECK(column_of(*db, "SELECT length(uuid) || ' ' || (updated_at = created_at) FROM review_comments WHERE id = " +
                             std::to_string(added.id)) == "36 1\n");
}
