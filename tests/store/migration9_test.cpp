// Migration 9 (issue 17 item 7) on a practice written at schema 8 (built here
// by hand from the first eight migrations): each progress note already there
// becomes its first kept version, its author not recorded; later saves add
// versions by who saved them; a kept version cannot be changed or deleted.
#include <catch2/catch_test_macros.hpp>
#include <string>
#include <vector>

#include "store/database.h"
#include "store/repositories.h"
#include "store/schema.h"
#include "store/sqlite_access.h"
#include "support/store_fixture.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::store;

namespace {

// Dr Eight (person 1), case 1 with sessions 1 (a progress note) and 2 (none).
void write_schema8_practice(const std::filesystem::path& path) {
    SQLite::Database sql(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    test::write_schema_practice(sql, 8, "2026-06-01T10:00:00Z");
    const std::string at = "'2026-06-01T10:00:00Z'";
    test::write_schema_couple(sql, "Dr Eight", "Couple Eight", at);
    sql.exec("INSERT INTO sessions (id, uuid, case_id, number, date, state, active_seconds, scheme_id, created_at, "
             "updated_at) VALUES (1, 's1', 1, 1, '2026-06-01', 'ended', 600, 1, " + at + ", " + at +
             "), (2, 's2', 1, 2, '2026-06-08', 'ended', 600, 1, " + at + ", " + at + ")");
    sql.exec("INSERT INTO progress_notes (session_id, data, assessment, plan, updated_at) VALUES "
             "(1, 'old data', 'old assessment', 'old plan', '2026-06-01T11:00:00Z')");
}

struct Upgraded {
    test::TempDir dir;
    std::unique_ptr<Database> db;
    Upgraded() {
        write_schema8_practice(dir / "eight.db");
        db = test::open_upgraded(dir / "eight.db", "Dr Eight");
    }
};

}  // namespace

TEST_CASE("migration 9 keeps each existing progress note as its first version, author not recorded",
          "[migration][history]") {
    Upgraded f;
    REQUIRE(f.db->schema_version() == Database::kSchemaVersion);  // 9, and every later migration
    const std::vector<NoteVersion> versions = SessionRepository(*f.db).progress_note_versions(1);
    REQUIRE(versions.size() == 1);
    CHECK(versions[0].number == 1);
    CHECK(versions[0].note.data == "old data");
    CHECK(versions[0].note.plan == "old plan");
    CHECK(versions[0].saved_at == "2026-06-01T11:00:00Z");
    CHECK(versions[0].author.empty());
    CHECK(versions[0].how == NoteVersion::How::BeforeHistory);
    CHECK(note_version_title(versions[0]) ==
          "version 1, 2026-06-01T11:00:00Z, author not recorded (saved before history was kept)");
    CHECK(SessionRepository(*f.db).progress_note_versions(2).empty());  // no note, no version

    SECTION("a save after the upgrade adds a version by who saved it; the first stays") {
        SessionRepository(*f.db).save_progress_note(1, {"new data", "old assessment", "old plan"});
        const std::vector<NoteVersion> after = SessionRepository(*f.db).progress_note_versions(1);
        REQUIRE(after.size() == 2);
        CHECK(after[0].note.data == "old data");
        CHECK(after[1].note.data == "new data");
        CHECK(after[1].author == "Dr Eight");
        CHECK(after[1].how == NoteVersion::How::Edited);
        // Saving the same text again keeps no copy.
        SessionRepository(*f.db).save_progress_note(1, {"new data", "old assessment", "old plan"});
        CHECK(SessionRepository(*f.db).progress_note_versions(1).size() == 2);
    }
}

TEST_CASE("a kept version of a progress note cannot be changed or deleted", "[migration][history]") {
    Upgraded f;
    SQLite::Database& sql = sql_of(*f.db);
    CHECK_THROWS_AS(sql.exec("UPDATE progress_note_versions SET data = 'rewritten'"), SQLite::Exception);
    CHECK_THROWS_AS(sql.exec("DELETE FROM progress_note_versions"), SQLite::Exception);
    CHECK(SessionRepository(*f.db).progress_note_versions(1).at(0).note.data == "old data");
}
