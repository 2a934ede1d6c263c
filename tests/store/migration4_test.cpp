// Migration 4 on a practice written at schema 3 (built here by hand from the
// first three migrations): a note signed before signatures were
// cryptographic gets as its sealed layers the raters who had coded the
// session, so its coding is sealed from the upgrade on.
#include <catch2/catch_test_macros.hpp>
#include <string>
#include <vector>

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

// People 1 Dr Old (the case's clinician), 2 Coder Old, 3 Rater Gone (whose
// only observation of session 1 is deleted), 4 Dr Super. Session 1 is signed
// by Dr Old and co-signed by Dr Super; session 2 is not signed.
void write_schema3_practice(const std::filesystem::path& path) {
    SQLite::Database sql(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    test::write_schema_practice(sql, 3, "2026-01-01T10:00:00Z");
    const std::string at = "'2026-01-01T10:00:00Z'";
    sql.exec(
        "INSERT INTO people (id, uuid, name, role, created_at) VALUES "
        "(1, 'u1', 'Dr Old', 'clinician', " +
        at + "), (2, 'u2', 'Coder Old', 'coder', " + at +
        "), "
        "(3, 'u3', 'Rater Gone', 'coder', " +
        at + "), (4, 'u4', 'Dr Super', 'supervisor', " + at + ")");
    sql.exec(
        "INSERT INTO cases (id, uuid, label, clinician_id, start_date, scheme_id, created_at, updated_at) "
        "VALUES (1, 'c1', 'Couple Old', 1, '2026-01-01', 1, " +
        at + ", " + at + ")");
    sql.exec("INSERT INTO participants (case_id, role, display_name) VALUES (1, 'A', 'Ana'), (1, 'B', 'Ben')");
    sql.exec(
        "INSERT INTO sessions (id, uuid, case_id, number, date, state, active_seconds, safety, scheme_id, "
        "created_at, updated_at) VALUES "
        "(1, 's1', 1, 1, '2026-01-01', 'ended', 600, 5, 1, " +
        at + ", " + at +
        "), "
        "(2, 's2', 1, 2, '2026-01-08', 'ended', 600, 5, 1, " +
        at + ", " + at + ")");
    sql.exec(
        "INSERT INTO observations (id, uuid, session_id, rater_id, t, who, code_id, deleted, created_at, "
        "updated_at) VALUES "
        "(1, 'o1', 1, 1, 10, 'A', 'withdraw_emotion', 0, " +
        at + ", " + at +
        "), "
        "(2, 'o2', 1, 1, 20, 'B', 'defensive_anger', 0, " +
        at + ", " + at +
        "), "
        "(3, 'o3', 1, 2, 12, 'A', 'withdraw_emotion', 0, " +
        at + ", " + at +
        "), "
        "(4, 'o4', 1, 3, 30, 'A', 'withdraw_emotion', 1, " +
        at + ", " + at +
        "), "
        "(5, 'o5', 2, 1, 10, 'A', 'withdraw_emotion', 0, " +
        at + ", " + at + ")");
    sql.exec(
        "INSERT INTO progress_notes (session_id, data, assessment, plan, updated_at) VALUES "
        "(1, 'data', 'assessment', 'plan', " +
        at + ")");
    sql.exec(
        "INSERT INTO signatures (id, session_id, signer_id, role, signed_at, note_sha256) VALUES "
        "(1, 1, 1, 'sign', " +
        at + ", 'h'), (2, 1, 4, 'cosign', " + at + ", 'h')");
}

struct Upgraded {
    test::TempDir dir;
    std::unique_ptr<Database> db;
    Upgraded() {
        write_schema3_practice(dir / "old.db");
        db = test::open_upgraded(dir / "old.db", "Dr Old");
    }
    std::vector<RowId> layers(RowId signature_id) {
        std::vector<RowId> out;
        SQLite::Statement q(sql_of(*db),
                            "SELECT rater_id FROM signature_layers WHERE signature_id = ? ORDER BY rater_id");
        q.bind(1, signature_id);
        while (q.executeStep())
            out.push_back(q.getColumn(0).getInt64());
        return out;
    }
    Observation observation(RowId session_id, RowId rater_id) {
        Observation o;
        o.session_id = session_id;
        o.rater_id = rater_id;
        o.t = 45;
        o.code_id = "withdraw_emotion";
        return o;
    }
};

}  // namespace

TEST_CASE("a schema 3 practice is upgraded to the current schema", "[migration]") {
    Upgraded f;
    REQUIRE(f.db->schema_version() == Database::kSchemaVersion);
    REQUIRE(sql_of(*f.db).execAndGet("PRAGMA user_version").getInt() == Database::kSchemaVersion);
    // Nothing of what was there is lost.
    REQUIRE(ObservationRepository(*f.db).list_for_session(1, 0, true).size() == 4);
    REQUIRE(SessionRepository(*f.db).progress_note(1).data == "data");
}

TEST_CASE("a note signed before migration 4 seals the layers of the raters who had coded it", "[migration]") {
    Upgraded f;
    // Dr Old and Coder Old coded session 1; Rater Gone's one observation was deleted.
    REQUIRE(f.layers(1) == std::vector<RowId>{1, 2});
    // A co-signature covers the signature's record: it gets no layers of its own.
    REQUIRE(f.layers(2).empty());
    const auto signatures = SigningRepository(*f.db).signatures(1);
    REQUIRE(signatures.size() == 2);
    REQUIRE(signatures[0].layers == std::vector<RowId>{1, 2});
    // Signed by name only: no digest, no signature (services report it as not verifiable).
    REQUIRE(signatures[0].digest.empty());
    REQUIRE(signatures[0].signature.empty());
}

TEST_CASE("after the upgrade an old signed session's coding, ratings and clock are sealed", "[migration]") {
    Upgraded f;
    ObservationRepository observations(*f.db);
    REQUIRE_THROWS_AS(observations.add(f.observation(1, 1)), StoreError);
    REQUIRE_THROWS_AS(observations.add(f.observation(1, 2)), StoreError);
    REQUIRE_THROWS_AS(observations.soft_delete(3), StoreError);
    REQUIRE_THROWS_AS(SessionRepository(*f.db).set_ratings(1, {std::nullopt, std::nullopt, 9}), StoreError);
    REQUIRE(observations.list_for_session(1).size() == 3);
    REQUIRE(SessionRepository(*f.db).get(1)->ratings.safety == 5);
}

TEST_CASE("after the upgrade a rater outside an old signature, and the unsigned sessions, can still code",
          "[migration]") {
    Upgraded f;
    ObservationRepository observations(*f.db);
    REQUIRE(observations.add(f.observation(1, 3)).id != 0);  // Rater Gone codes again: a new layer
    REQUIRE(observations.add(f.observation(2, 1)).id != 0);
    observations.soft_delete(5);
    SessionRepository(*f.db).set_ratings(2, {std::nullopt, std::nullopt, 9});
    REQUIRE(SessionRepository(*f.db).get(2)->ratings.safety == 9);
}
