// Encryption, passphrase changes, backups and restores.
#include "store/security.h"

#include <catch2/catch_test_macros.hpp>

#include "store/audit_log.h"
#include "store/backup.h"
#include "store/maintenance.h"
#include "store/security_fixture.h"
#include "store/sqlite_access.h"

using namespace attune;
using namespace attune::store;
namespace fs = std::filesystem;

namespace {

constexpr const char* kPassphrase = "correct horse battery";
constexpr const char* kNewPassphrase = "staple tumbler 77";

StoreError::Kind open_error(const fs::path& path, const char* passphrase) {
    try {
        Database::open(test::store_options(path, passphrase, false));
    } catch (const StoreError& e) {
        return e.kind();
    }
    FAIL("the database opened");
    return StoreError::Kind::Io;
}

}  // namespace

TEST_CASE("SQLCipher 4's key derivation defaults are kept: 256,000 iterations") {
    test::TempDir dir;
    auto db = Database::open(test::store_options(dir / "p.db", kPassphrase));
    REQUIRE(kdf_iterations(*db) == 256000);
}

TEST_CASE("no plaintext reaches the database file or its WAL while it is open") {
    test::TempDir dir;
    test::PracticeWithSession p(dir / "p.db", kPassphrase);
    auto logger = p.logger();
    REQUIRE(logger.press(Who::A, p.code(), 3.0).status == LogOutcome::Status::Saved);
    // Still open: the latest writes sit in the WAL.
    REQUIRE(fs::exists(dir / "p.db-wal"));
    REQUIRE(fs::file_size(dir / "p.db-wal") > 0);
    for (const char* file : {"p.db", "p.db-wal"}) {
        REQUIRE_FALSE(test::file_contains(dir / file, test::kSecretMarker));
        REQUIRE_FALSE(test::file_contains(dir / file, "Couple Secret"));
        REQUIRE_FALSE(test::file_contains(dir / file, "SQLite format 3"));
    }
}

TEST_CASE("after a passphrase change the old one fails, the new one works, and a wrong one changes no byte") {
    test::TempDir dir;
    const auto path = dir / "p.db";
    {
        test::PracticeWithSession p(path, kPassphrase);
        change_passphrase(p.db(), kNewPassphrase);
        // The same connection carries on writing under the new key.
        REQUIRE(p.logger().press(Who::B, p.code(), 5.0).status == LogOutcome::Status::Saved);
        const auto rekeys = AuditLog(p.db()).list(AuditFilter::of_action("rekey", 10));
        REQUIRE(rekeys.size() == 1);
        REQUIRE(rekeys.front().actor == "Dr Secure");
    }
    const std::string before = test::read_file(path);
    REQUIRE(open_error(path, kPassphrase) == StoreError::Kind::WrongPassphrase);
    REQUIRE(test::read_file(path) == before);
    REQUIRE_FALSE(fs::exists(path.string() + "-wal"));
    REQUIRE_FALSE(fs::exists(path.string() + "-shm"));
    test::PracticeWithSession reopened(path, kNewPassphrase, false);
    REQUIRE(reopened.observations() == 1);
    REQUIRE(check_health(reopened.db()).ok());
}

TEST_CASE("the passphrase appears in no audit row and no file Attune writes") {
    test::TempDir dir;
    const auto path = dir / "p.db";
    {
        test::PracticeWithSession p(path, kPassphrase);
        change_passphrase(p.db(), kNewPassphrase);
        backup_database(p.db(), dir / "backups");
        for (const AuditEntry& e : AuditLog(p.db()).list()) {
            for (const std::string* field : {&e.actor, &e.action, &e.entity, &e.entity_id, &e.detail}) {
                REQUIRE(field->find(kPassphrase) == std::string::npos);
                REQUIRE(field->find(kNewPassphrase) == std::string::npos);
            }
        }
        REQUIRE(AuditLog(p.db()).verify().ok);
    }
    std::vector<fs::path> files;
    for (const auto& entry : fs::recursive_directory_iterator(dir.path()))
        if (entry.is_regular_file()) files.push_back(entry.path());
    REQUIRE(files.size() >= 3);  // database, lock file, backup
    for (const fs::path& file : files) {
        INFO(file.string());
        REQUIRE_FALSE(test::file_contains(file, kPassphrase));
        REQUIRE_FALSE(test::file_contains(file, kNewPassphrase));
    }
}

TEST_CASE("a plaintext database is encrypted in place and no plaintext copy is left") {
    test::TempDir dir;
    const auto path = dir / "plain.db";
    {
        store::OpenOptions options = test::store_options(path, nullptr);
        options.allow_unencrypted = true;
        auto practice = test::open_store_practice(options, "Dr Plain");
        const Case c = test::add_couple(*practice.db, "Couple Plain");
        const Session s = SessionRepository(*practice.db).start(c.id, "2026-11-01", "10:00", 1.0);
        SessionRepository(*practice.db).save_process_note(s.id, test::kSecretMarker);
    }
    REQUIRE(is_plaintext_sqlite(path));
    REQUIRE(test::file_contains(path, test::kSecretMarker));

    encrypt_plaintext_database(path, kPassphrase, "Dr Plain");

    REQUIRE_FALSE(is_plaintext_sqlite(path));
    REQUIRE_FALSE(test::file_contains(path, test::kSecretMarker));
    for (const auto& entry : fs::directory_iterator(dir.path())) {
        INFO(entry.path().string());
        REQUIRE_FALSE(test::file_contains(entry.path(), test::kSecretMarker));
        REQUIRE(entry.path().filename().string().find("encrypting") == std::string::npos);
    }
    auto db = Database::open(test::store_options(path, kPassphrase, false));
    REQUIRE(db->encrypted());
    REQUIRE(kdf_iterations(*db) == 256000);
    REQUIRE(CaseRepository(*db).list().size() == 1);
    REQUIRE(check_health(*db).ok());
    REQUIRE(AuditLog(*db).list(AuditFilter::of_action("encrypt", 10)).size() == 1);
}

TEST_CASE("a backup is encrypted with the same key, verified, and holds every row") {
    test::TempDir dir;
    test::PracticeWithSession p(dir / "practice.db", kPassphrase);
    auto logger = p.logger();
    for (int i = 0; i < 5; ++i)
        logger.press(Who::A, p.code(), i + 1.0);
    const BackupResult r = backup_database(p.db(), dir / "backups");
    REQUIRE(r.file.parent_path() == dir / "backups");
    const std::string name = r.file.filename().string();
    REQUIRE(name.rfind("practice-", 0) == 0);
    REQUIRE(name.size() == std::string("practice-20261122-024100.attune-backup").size());
    REQUIRE(r.bytes == fs::file_size(r.file));
    REQUIRE_FALSE(is_plaintext_sqlite(r.file));
    REQUIRE_FALSE(test::file_contains(r.file, test::kSecretMarker));
    REQUIRE_FALSE(test::file_contains(r.file, "Couple Secret"));
    REQUIRE_FALSE(test::file_contains(r.file, "SQLite format 3"));
    // No temporary file is left behind.
    REQUIRE(std::distance(fs::directory_iterator(dir / "backups"), fs::directory_iterator()) == 1);

    REQUIRE_NOTHROW(verify_database_file(r.file, kPassphrase));
    // Checking a backup writes nothing next to it.
    REQUIRE_FALSE(fs::exists(r.file.string() + "-wal"));
    REQUIRE_FALSE(fs::exists(r.file.string() + "-shm"));
    try {
        verify_database_file(r.file, "not the passphrase");
        FAIL("a wrong passphrase opened the backup");
    } catch (const StoreError& e) {
        REQUIRE(e.kind() == StoreError::Kind::WrongPassphrase);
    }
    OpenOptions read_backup = test::store_options(r.file, kPassphrase, false);
    read_backup.read_only = true;
    auto backup = Database::open(read_backup);
    REQUIRE(ObservationRepository(*backup).list_for_session(p.session_id).size() == 5);
    REQUIRE(AuditLog(p.db()).list(AuditFilter::of_action("backup", 10)).size() == 1);
}

TEST_CASE("backups rotate: only the newest N of this database are kept, other files are left alone") {
    test::TempDir dir;
    test::PracticeWithSession p(dir / "practice.db", kPassphrase);
    const auto backups = dir / "backups";
    fs::create_directories(backups);
    for (const char* old :
         {"practice-20200101-000000.attune-backup", "practice-20210101-000000.attune-backup",
          "practice-20220101-000000.attune-backup", "other-20200101-000000.attune-backup", "practice-notes.txt"})
        test::write_file(backups / old, "old");
    const BackupResult r = backup_database(p.db(), backups, 2);
    REQUIRE(r.removed.size() == 2);
    const auto kept = list_backups(p.db().path(), backups);
    REQUIRE(kept.size() == 2);
    REQUIRE(kept[0].filename() == "practice-20220101-000000.attune-backup");
    REQUIRE(kept[1] == r.file);
    REQUIRE(fs::exists(backups / "other-20200101-000000.attune-backup"));
    REQUIRE(fs::exists(backups / "practice-notes.txt"));
}

TEST_CASE("a restore verifies the backup, keeps a copy of what it replaces, and brings the rows back") {
    test::TempDir dir;
    const auto path = dir / "practice.db";
    fs::path backup_file;
    {
        test::PracticeWithSession p(path, kPassphrase);
        auto logger = p.logger();
        logger.press(Who::A, p.code(), 1.0);
        backup_file = backup_database(p.db(), dir / "backups").file;
        logger.press(Who::A, p.code(), 2.0);
        logger.press(Who::B, p.code(), 3.0);
        REQUIRE(p.observations() == 3);
    }
    SECTION("restoring") {
        const RestoreResult r = restore_database(backup_file, path, kPassphrase, "Dr Secure");
        REQUIRE(r.safety_copy.filename().string().rfind("practice.db.before-restore-", 0) == 0);
        test::PracticeWithSession restored(path, kPassphrase, false);
        REQUIRE(restored.observations() == 1);
        REQUIRE(check_health(restored.db()).ok());
        REQUIRE(AuditLog(restored.db()).list(AuditFilter::of_action("restore", 10)).size() == 1);
        // The replaced database, with its three observations, is still there.
        OpenOptions safety = test::store_options(r.safety_copy, kPassphrase, false);
        safety.read_only = true;
        auto before = Database::open(safety);
        REQUIRE(ObservationRepository(*before).list_for_session(restored.session_id).size() == 3);
    }
    SECTION("a wrong passphrase or damaged backup is refused and nothing is replaced") {
        const std::string before = test::read_file(path);
        REQUIRE_THROWS_AS(restore_database(backup_file, path, "wrong", "x"), StoreError);
        std::string damaged = test::read_file(backup_file);
        for (size_t i = damaged.size() / 2; i < damaged.size() / 2 + 64; ++i)
            damaged[i] = '\x5a';
        test::write_file(dir / "damaged.attune-backup", damaged);
        REQUIRE_THROWS_AS(restore_database(dir / "damaged.attune-backup", path, kPassphrase, "x"), StoreError);
        REQUIRE(test::read_file(path) == before);
        for (const auto& entry : fs::directory_iterator(dir.path()))
            REQUIRE(entry.path().filename().string().find("before-restore") == std::string::npos);
    }
    SECTION("a database open in another Attune is not replaced") {
        auto holder = Database::open(test::store_options(path, kPassphrase, false));
        try {
            restore_database(backup_file, path, kPassphrase, "x");
            FAIL("the restore replaced an open database");
        } catch (const StoreError& e) {
            REQUIRE(e.kind() == StoreError::Kind::Locked);
        }
    }
}
