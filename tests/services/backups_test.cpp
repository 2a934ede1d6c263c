// Automatic backups: one after each session and one a day, into the folder
// and with the count the user set; off unless the app turned them on. A
// background backup runs on a connection the practice opens for it and is
// audited on the practice's own connection when its outcome is taken.
#include "services/backups.h"

#include <algorithm>
#include <catch2/catch_test_macros.hpp>
#include <catch2/matchers/catch_matchers_string.hpp>
#include <memory>
#include <vector>

#include "practice_reads.h"
#include "services/open_practice.h"
#include "support/practice_fixture.h"
#include "support/test_support.h"

using namespace attune;
using Catch::Matchers::ContainsSubstring;
namespace fs = std::filesystem;

namespace {

std::unique_ptr<services::OpenPractice> open_test_practice(const fs::path& path) {
    return test::new_practice(path, "backup passphrase");
}

services::BackupPolicy enabled_policy(const fs::path& folder) {
    services::BackupPolicy policy;
    policy.enabled = true;
    policy.folder = folder;
    policy.keep = 14;
    return policy;
}

std::vector<fs::path> files_in(const fs::path& folder) {
    std::vector<fs::path> files;
    if (!fs::exists(folder)) return files;
    for (const auto& entry : fs::directory_iterator(folder))
        files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

}  // namespace

TEST_CASE("the backup policy follows the settings' folder and count, else the default folder", "[backup]") {
    services::Settings settings;
    const services::BackupPolicy by_default = services::backup_policy(settings);
    REQUIRE(by_default.enabled);
    REQUIRE(by_default.folder == services::default_backup_dir());
    REQUIRE(by_default.keep == 14);
    settings.backup_folder = "/srv/attune-backups";
    settings.backup_count = 3;
    const services::BackupPolicy chosen = services::backup_policy(settings);
    REQUIRE(chosen.folder == fs::path("/srv/attune-backups"));
    REQUIRE(chosen.keep == 3);
    REQUIRE_FALSE(services::BackupPolicy{}.enabled);
}

TEST_CASE("a daily backup is due when none is younger than a day, and not again the same day", "[backup]") {
    test::TempDir dir;
    auto practice = open_test_practice(dir / "practice.db");
    const services::BackupPolicy policy = enabled_policy(dir / "backups");
    const auto now = fs::file_time_type::clock::now();
    REQUIRE(services::daily_backup_due(dir / "practice.db", policy, now));  // none yet

    const services::SessionBackupOutcome first = services::backup_now(*practice, policy);
    REQUIRE(first.ok);
    REQUIRE(fs::exists(first.result.file));
    REQUIRE(first.result.file.parent_path() == policy.folder);
    CHECK_THAT(first.message, ContainsSubstring(first.result.file.string()));
    // The practice's keyring travels with it: nobody's passphrase opens the copy
    // without it; and its metadata, a signed checkpoint of the chain it holds.
    CHECK(files_in(policy.folder) == std::vector<fs::path>{first.result.file,
                                                          first.result.file.string() + ".audit-checkpoint",
                                                          first.result.file.string() + ".keyring"});
    CHECK(test::audit_rows(*practice, "backup").size() == 1);
    REQUIRE_FALSE(services::daily_backup_due(dir / "practice.db", policy, now + std::chrono::hours(23)));

    // A day later the newest backup is too old: a new one is due.
    fs::last_write_time(first.result.file, now - std::chrono::hours(25));
    REQUIRE(services::daily_backup_due(dir / "practice.db", policy, now));
}

TEST_CASE("no automatic backup is due while the policy is off", "[backup]") {
    test::TempDir dir;
    auto practice = open_test_practice(dir / "practice.db");
    services::BackupPolicy policy;  // disabled
    policy.folder = dir / "backups";
    REQUIRE_FALSE(services::daily_backup_due(dir / "practice.db", policy, fs::file_time_type::clock::now()));
    REQUIRE_FALSE(fs::exists(dir / "backups"));
}

TEST_CASE("a backup into a folder that cannot be made fails with a sentence and throws nothing", "[backup]") {
    test::TempDir dir;
    auto practice = open_test_practice(dir / "practice.db");
    test::write_file(dir / "not-a-folder", "x");
    const services::SessionBackupOutcome outcome =
        services::backup_now(*practice, enabled_policy(dir / "not-a-folder" / "backups"));
    REQUIRE_FALSE(outcome.ok);
    CHECK_THAT(outcome.message, ContainsSubstring("backup failed"));
    CHECK(test::audit_rows(*practice, "backup").empty());
}

TEST_CASE("a background backup opens its own connection while the app keeps writing, then is audited once",
          "[backup]") {
    test::TempDir dir;
    auto practice = open_test_practice(dir / "practice.db");
    const services::BackupPolicy policy = enabled_policy(dir / "backups");
    services::BackgroundBackup& backup = practice->background_backup();
    REQUIRE_FALSE(backup.take_result().has_value());  // none ran
    REQUIRE(backup.start(policy));
    test::add_couple(*practice, "Couple During Backup");  // the writer is not blocked by the backup's reader
    backup.wait();
    const auto outcome = backup.take_result();
    REQUIRE(outcome.has_value());
    REQUIRE(outcome->ok);
    REQUIRE(fs::exists(outcome->result.file));
    REQUIRE_FALSE(backup.running());
    REQUIRE_FALSE(backup.take_result().has_value());  // reported once
    const auto rows = test::audit_rows(*practice, "backup");
    REQUIRE(rows.size() == 1);
    CHECK_THAT(rows[0].detail, ContainsSubstring(outcome->result.file.string()));
    CHECK_THAT(rows[0].detail, ContainsSubstring("in the background"));

    // The backup opens with the practice's passphrase.
    auto copy = test::open_practice(outcome->result.file, "backup passphrase", "Dr Test", false, true);
    CHECK(copy->read_only());
}

TEST_CASE("a background backup that fails says why and is not audited", "[backup]") {
    test::TempDir dir;
    auto practice = open_test_practice(dir / "practice.db");
    test::write_file(dir / "not-a-folder", "x");
    services::BackgroundBackup& backup = practice->background_backup();
    REQUIRE(backup.start(enabled_policy(dir / "not-a-folder" / "backups")));
    backup.wait();
    const auto outcome = backup.take_result();
    REQUIRE(outcome.has_value());
    REQUIRE_FALSE(outcome->ok);
    CHECK_THAT(outcome->message, ContainsSubstring("backup failed"));
    CHECK(outcome->database == dir / "practice.db");
    CHECK(test::audit_rows(*practice, "backup").empty());
}
