// Automatic backups: one after each session and one a day, into the folder
// and with the count the user set; off unless the app turned them on.
#include "services/open_practice.h"
#include "services/backups.h"
#include "store/repositories.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

#include <catch2/catch_test_macros.hpp>

using namespace attune;
namespace fs = std::filesystem;

namespace {

io::Practice open_test_practice(const fs::path& path) { return test::new_practice(path, "backup passphrase"); }

}  // namespace

TEST_CASE("the backup policy follows the settings' folder and count, else the default folder", "[backup]") {
    io::Settings settings;
    const io::BackupPolicy by_default = io::backup_policy(settings);
    REQUIRE(by_default.enabled);
    REQUIRE(by_default.folder == io::default_backup_dir());
    REQUIRE(by_default.keep == 14);
    settings.backup_folder = "/srv/attune-backups";
    settings.backup_count = 3;
    const io::BackupPolicy chosen = io::backup_policy(settings);
    REQUIRE(chosen.folder == fs::path("/srv/attune-backups"));
    REQUIRE(chosen.keep == 3);
    REQUIRE_FALSE(io::BackupPolicy{}.enabled);
}

TEST_CASE("a daily backup is made when none is younger than a day, and not again the same day", "[backup]") {
    test::TempDir dir;
    io::Practice practice = open_test_practice(dir / "practice.db");
    io::BackupPolicy policy;
    policy.enabled = true;
    policy.folder = dir / "backups";
    policy.keep = 14;
    const auto now = fs::file_time_type::clock::now();

    const auto first = io::backup_if_due(*practice.db, policy, now);
    REQUIRE(first.has_value());
    REQUIRE(first->ok);
    REQUIRE(fs::exists(first->result.file));
    REQUIRE(first->result.file.parent_path() == policy.folder);
    REQUIRE_FALSE(io::backup_if_due(*practice.db, policy, now + std::chrono::hours(23)).has_value());

    // A day later the newest backup is too old: a new one is due. (A distinct second
    // in its name: backups made within one second share a name.)
    fs::last_write_time(first->result.file, now - std::chrono::hours(25));
    const auto second = io::backup_if_due(*practice.db, policy, now);
    REQUIRE(second.has_value());
    REQUIRE(second->ok);
    REQUIRE(store::list_backups(dir / "practice.db", policy.folder).size() >= 1);
}

TEST_CASE("no automatic backup while the policy is off", "[backup]") {
    test::TempDir dir;
    io::Practice practice = open_test_practice(dir / "practice.db");
    io::BackupPolicy policy;  // disabled
    policy.folder = dir / "backups";
    REQUIRE_FALSE(io::backup_if_due(*practice.db, policy, fs::file_time_type::clock::now()).has_value());
    REQUIRE_FALSE(fs::exists(dir / "backups"));
}

TEST_CASE("a backup into a folder that cannot be made fails with a sentence and throws nothing", "[backup]") {
    test::TempDir dir;
    io::Practice practice = open_test_practice(dir / "practice.db");
    test::write_file(dir / "not-a-folder", "x");
    io::BackupPolicy policy;
    policy.enabled = true;
    policy.folder = dir / "not-a-folder" / "backups";
    const io::SessionBackupOutcome outcome = io::backup_now(*practice.db, policy);
    REQUIRE_FALSE(outcome.ok);
    REQUIRE(outcome.message.find("backup failed") != std::string::npos);
}

TEST_CASE("a background backup opens its own read-only connection while the app keeps writing", "[backup]") {
    test::TempDir dir;
    io::Practice practice = open_test_practice(dir / "practice.db");
    io::BackupPolicy policy;
    policy.enabled = true;
    policy.folder = dir / "backups";
    io::BackgroundBackup backup;
    REQUIRE_FALSE(backup.take_result().has_value());  // none ran
    REQUIRE(backup.start(practice.opened_with, policy));
    test::add_couple(*practice.db, "Couple During Backup");  // the writer is not blocked by the backup's reader
    backup.wait();
    const auto outcome = backup.take_result();
    REQUIRE(outcome.has_value());
    REQUIRE(outcome->ok);
    REQUIRE(fs::exists(outcome->result.file));
    REQUIRE_FALSE(backup.running());
    REQUIRE_FALSE(backup.take_result().has_value());  // reported once
    // The backup opens with the same passphrase and passes its check.
    store::OpenOptions options;
    options.path = outcome->result.file;
    options.passphrase = "backup passphrase";
    options.read_only = true;
    REQUIRE(store::Database::open(options) != nullptr);
}

TEST_CASE("a background backup with a wrong passphrase fails with a sentence", "[backup]") {
    test::TempDir dir;
    io::Practice practice = open_test_practice(dir / "practice.db");
    io::BackupPolicy policy;
    policy.enabled = true;
    policy.folder = dir / "backups";
    store::OpenOptions wrong = practice.opened_with;
    wrong.passphrase = "not the passphrase";
    const io::SessionBackupOutcome outcome = io::backup_copy_of(wrong, policy);
    REQUIRE_FALSE(outcome.ok);
    REQUIRE(outcome.message.find("backup failed") != std::string::npos);
    REQUIRE_FALSE(fs::exists(dir / "backups"));
}
