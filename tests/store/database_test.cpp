#include "store/audit_log.h"
#include "store/database.h"
#include "store/repositories.h"
#include "support/test_support.h"
#include "services/open_practice.h"
#include "support/practice_fixture.h"

#include <catch2/catch_test_macros.hpp>

using namespace attune;
using namespace attune::store;

namespace {
OpenOptions options_for(const std::filesystem::path& path, std::string passphrase = "correct horse") {
    OpenOptions options;
    options.path = path;
    options.passphrase = std::move(passphrase);
    options.create_if_missing = true;
    return options;
}
}  // namespace

TEST_CASE("a note written to an encrypted database does not appear in the raw file") {
    test::TempDir dir;
    const auto path = dir / "practice.db";
    {
        auto practice = io::open_practice(options_for(path), "Dr Marker");
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
    { io::open_practice(options_for(path), "Dr Key"); }
    const std::string before = test::read_file(path);
    auto wrong = options_for(path, "wrong passphrase");
    wrong.create_if_missing = false;
    try {
        Database::open(wrong);
        FAIL("opening with a wrong passphrase succeeded");
    } catch (const StoreError& e) {
        REQUIRE(e.kind() == StoreError::Kind::WrongPassphrase);
        REQUIRE(std::string(e.what()).find("wrong passphrase") != std::string::npos);
    }
    REQUIRE(test::read_file(path) == before);
    auto right = options_for(path);
    REQUIRE(Database::open(right)->schema_version() == Database::kSchemaVersion);
}

TEST_CASE("a new database is migrated to the latest schema with WAL and SQLCipher") {
    test::TempDir dir;
    auto db = Database::open(options_for(dir / "new.db"));
    REQUIRE(db->schema_version() == Database::kSchemaVersion);
    REQUIRE_FALSE(db->cipher_version().empty());
    REQUIRE(db->encrypted());
}

TEST_CASE("a second writer is refused while the first holds the database") {
    test::TempDir dir;
    auto first = Database::open(options_for(dir / "one.db"));
    try {
        Database::open(options_for(dir / "one.db"));
        FAIL("a second writer was let in");
    } catch (const StoreError& e) {
        REQUIRE(e.kind() == StoreError::Kind::Locked);
    }
    auto reader_options = options_for(dir / "one.db");
    reader_options.read_only = true;
    REQUIRE(Database::open(reader_options)->read_only());
}

TEST_CASE("the audit chain verifies and names the first row that was tampered with") {
    test::TempDir dir;
    auto practice = io::open_practice(options_for(dir / "a.db"), "Dr Audit");
    Database& db = *practice.db;
    AuditLog audit(db);
    audit.record("export", "case", "x", "one");
    audit.record("export", "case", "y", "two");
    AuditVerification ok = audit.verify();
    REQUIRE(ok.ok);
    REQUIRE(ok.rows >= 3);
    const auto rows = audit.list();
    REQUIRE(rows.front().detail == "two");
    REQUIRE(rows.front().actor == "Dr Audit");
}
