// Migration 10 (issue 18 item 15) on a practice written at schema 9 (built
// here from the first nine migrations): each partner gains a cycle position,
// not recorded ('') for the partners already there; the case repository
// writes and reads it; anything but pursuer or withdrawer is refused, by the
// repository with a message and by the table itself.
#include <catch2/catch_test_macros.hpp>
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

void write_schema9_practice(const std::filesystem::path& path) {
    SQLite::Database sql(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    test::write_schema_practice(sql, 9, "2026-06-01T10:00:00Z");
    const std::string at = "'2026-06-01T10:00:00Z'";
    sql.exec("INSERT INTO people (id, uuid, name, role, created_at) VALUES (1, 'u1', 'Dr Nine', 'clinician', " + at +
             ")");
    sql.exec("INSERT INTO cases (id, uuid, label, clinician_id, start_date, scheme_id, created_at, updated_at) "
             "VALUES (1, 'c1', 'Couple Nine', 1, '2026-06-01', 1, " + at + ", " + at + ")");
    sql.exec("INSERT INTO participants (case_id, role, display_name, attachment_style) VALUES "
             "(1, 'A', 'Ana', 'anxious'), (1, 'B', 'Ben', 'avoidant')");
}

}  // namespace

TEST_CASE("migration 10 gives each partner a cycle position, not recorded for those already there",
          "[migration][cycle]") {
    test::TempDir dir;
    write_schema9_practice(dir / "nine.db");
    const std::unique_ptr<Database> db = test::open_upgraded(dir / "nine.db", "Dr Nine");
    REQUIRE(db->schema_version() == Database::kSchemaVersion);  // 10, and every later migration

    Case c = *CaseRepository(*db).get(1);
    CHECK(c.partner_a.attachment_style == "anxious");  // kept
    CHECK(c.partner_a.cycle_position.empty());
    CHECK(c.partner_b.cycle_position.empty());

    c.partner_a.cycle_position = "pursuer";
    c.partner_b.cycle_position = "withdrawer";
    CaseRepository(*db).update(c);
    const Case stored = *CaseRepository(*db).get(1);
    CHECK(stored.partner_a.cycle_position == "pursuer");
    CHECK(stored.partner_b.cycle_position == "withdrawer");
    CHECK(stored.partner_b.attachment_style == "avoidant");

    c.partner_b.cycle_position = "chaser";
    try {
        CaseRepository(*db).update(c);
        FAIL("a cycle position 'chaser' was stored");
    } catch (const StoreError& e) {
        CHECK(std::string(e.what()) == "a cycle position must be pursuer or withdrawer");
    }
    CHECK(CaseRepository(*db).get(1)->partner_b.cycle_position == "withdrawer");  // nothing changed
    // The table refuses it as well, whoever writes.
    CHECK_THROWS_AS(sql_of(*db).exec("UPDATE participants SET cycle_position = 'chaser' WHERE role = 'A'"),
                    SQLite::Exception);
}
