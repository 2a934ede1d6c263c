#include "store/database.h"

#include <catch2/catch_test_macros.hpp>

#include "store/audit_log.h"
#include "store/repositories.h"
#include "store/sqlite_access.h"
#include "support/store_fixture.h"
#include "support/test_support.h"

using namespace attune;
using namespace attune::store;

TEST_CASE("a note written to an encrypted database does not appear in the raw file") {
    test::TempDir dir;
    const auto path = dir / "practice.db";
    {
        auto practice = test::open_store_practice(test::store_options(path), "Dr Marker");
        const Case c = test::add_couple(*practice.db, "Couple M");
        Session s = SessionRepository(*practice.db).start(c.id, "2026-11-01", "10:00", 1000.0);
        SessionRepository(*practice.db).save_process_note(s.id, "PLAINTEXT-MARKER-4711 fears abandonment");
    }
    for (const std::string suffix : {"", "-wal"}) {
        std::error_code ec;
        if (!std::filesystem::exists(path.string() + suffix, ec)) continue;
        const std::string bytes = test::read_file(path.string() + suffix);
        REQUIRE(bytes.find("PLAINTEXT-MARKER-4711") == std::string::npos);
        REQUIRE(bytes.find("Couple M") == std::string::npos);
    }
    REQUIRE_FALSE(is_plaintext_sqlite(path));
}

TEST_CASE("a wrong passphrase fails with a clear error and leaves the file byte-identical") {
    test::TempDir dir;
    const auto path = dir / "practice.db";
    test::open_store_practice(test::store_options(path), "Dr Key");  // created, then closed
    const std::string before = test::read_file(path);
    const auto wrong = test::store_options(path, "wrong passphrase", false);
    try {
        Database::open(wrong);
        FAIL("opening with a wrong passphrase succeeded");
    } catch (const StoreError& e) {
        REQUIRE(e.kind() == StoreError::Kind::WrongPassphrase);
        REQUIRE(std::string(e.what()).find("wrong passphrase") != std::string::npos);
    }
    REQUIRE(test::read_file(path) == before);
    const auto right = test::store_options(path, "correct horse", false);
    REQUIRE(Database::open(right)->schema_version() == Database::kSchemaVersion);
}

TEST_CASE("a new database is migrated to the latest schema with WAL and SQLCipher") {
    test::TempDir dir;
    auto db = Database::open(test::store_options(dir / "new.db"));
    REQUIRE(db->schema_version() == Database::kSchemaVersion);
    REQUIRE_FALSE(db->cipher_version().empty());
    REQUIRE(db->encrypted());
    REQUIRE(sql_of(*db).execAndGet("PRAGMA journal_mode").getString() == "wal");
}

TEST_CASE("a second writer is refused while the first holds the database") {
    test::TempDir dir;
    auto first = Database::open(test::store_options(dir / "one.db"));
    try {
        Database::open(test::store_options(dir / "one.db"));
        FAIL("a second writer was let in");
    } catch (const StoreError& e) {
        REQUIRE(e.kind() == StoreError::Kind::Locked);
    }
    auto reader_options = test::store_options(dir / "one.db");
    reader_options.read_only = true;
    REQUIRE(Database::open(reader_options)->read_only());
}

TEST_CASE("the audit chain verifies and names the first row that was tampered with") {
    test::TempDir dir;
    auto practice = test::open_store_practice(test::store_options(dir / "a.db"), "Dr Audit");
    Database& db = *practice.db;
    AuditLog audit(db);
    const auto rows_before = static_cast<std::int64_t>(audit.list().size());
    audit.record("export", "case", "x", "one");
    audit.record("export", "case", "y", "two");
    audit.record("export", "case", "z", "three");
    const AuditVerification ok = audit.verify();
    REQUIRE(ok.ok);
    REQUIRE(ok.rows == rows_before + 3);
    REQUIRE_FALSE(ok.first_broken_id.has_value());
    const auto rows = audit.list();
    REQUIRE(rows.front().detail == "three");
    REQUIRE(rows.front().actor == "Dr Audit");
    const std::int64_t two_id = rows[1].id;
    REQUIRE(rows[1].detail == "two");

    // The table refuses edits; someone who removes that guard is still caught by the chain.
    SQLite::Database& sql = sql_of(db);
    REQUIRE_THROWS_AS(sql.exec("UPDATE audit_log SET detail = 'forged' WHERE id = " + std::to_string(two_id)),
                      SQLite::Exception);
    sql.exec("DROP TRIGGER audit_log_no_update");
    sql.exec("UPDATE audit_log SET detail = 'forged' WHERE id = " + std::to_string(two_id));
    const AuditVerification changed = audit.verify();
    REQUIRE_FALSE(changed.ok);
    REQUIRE(changed.first_broken_id == std::optional<std::int64_t>(two_id));
    REQUIRE(changed.message == "audit row " + std::to_string(two_id) + " was changed after it was written");
}

TEST_CASE("the audit chain names the row after one that was removed") {
    test::TempDir dir;
    auto practice = test::open_store_practice(test::store_options(dir / "a.db"), "Dr Audit");
    AuditLog audit(*practice.db);
    audit.record("export", "case", "x", "one");
    audit.record("export", "case", "y", "two");
    audit.record("export", "case", "z", "three");
    const auto rows = audit.list();  // newest first: three, two, one
    SQLite::Database& sql = sql_of(*practice.db);
    sql.exec("DROP TRIGGER audit_log_no_delete");
    sql.exec("DELETE FROM audit_log WHERE id = " + std::to_string(rows[1].id));
    const AuditVerification removed = audit.verify();
    REQUIRE_FALSE(removed.ok);
    REQUIRE(removed.first_broken_id == std::optional<std::int64_t>(rows[0].id));
    REQUIRE(removed.message.find("does not follow the row before it") != std::string::npos);
}
