#include "io/session_backup.h"

#include "io/paths.h"

namespace attune::io {
namespace fs = std::filesystem;

fs::path default_backup_dir() { return data_dir() / "backups"; }

BackupPolicy backup_policy(const Settings& settings) {
    BackupPolicy policy;
    policy.enabled = true;
    policy.folder = settings.backup_folder.empty() ? default_backup_dir() : fs::path(settings.backup_folder);
    policy.keep = settings.backup_count;
    return policy;
}

SessionBackupOutcome backup_now(store::Database& db, const BackupPolicy& policy) {
    SessionBackupOutcome outcome;
    outcome.database = db.path();
    try {
        outcome.result = store::backup_database(db, policy.folder, policy.keep);
        outcome.ok = true;
        outcome.message = "Backed up to " + outcome.result.file.string();
    } catch (const std::exception& e) {
        // Filesystem errors (a folder that cannot be created) land here too.
        outcome.message = std::string("Everything is saved, but the backup failed: ") + e.what();
    }
    return outcome;
}

bool daily_backup_due(const fs::path& db_path, const BackupPolicy& policy, fs::file_time_type now) {
    if (!policy.enabled) return false;
    try {
        const auto backups = store::list_backups(db_path, policy.folder);
        return backups.empty() || now - fs::last_write_time(backups.back()) >= kDailyBackupInterval;
    } catch (const std::exception&) {
        return true;  // an unreadable folder: the backup's own error will say what is wrong
    }
}

std::optional<SessionBackupOutcome> backup_if_due(store::Database& db, const BackupPolicy& policy,
                                                  fs::file_time_type now) {
    if (db.read_only() || !daily_backup_due(db.path(), policy, now)) return std::nullopt;
    return backup_now(db, policy);
}

SessionBackupOutcome backup_copy_of(const store::OpenOptions& opened_with, const BackupPolicy& policy) {
    try {
        store::OpenOptions options = opened_with;
        options.read_only = true;
        options.create_if_missing = false;
        const auto db = store::Database::open(options);
        return backup_now(*db, policy);
    } catch (const std::exception& e) {
        SessionBackupOutcome outcome;
        outcome.database = opened_with.path;
        outcome.message = std::string("Everything is saved, but the backup failed: ") + e.what();
        return outcome;
    }
}

BackgroundBackup::~BackgroundBackup() { wait(); }

bool BackgroundBackup::start(store::OpenOptions opened_with, BackupPolicy policy) {
    if (running()) return false;
    result_ = std::async(std::launch::async, [opened_with = std::move(opened_with), policy = std::move(policy)] {
        return backup_copy_of(opened_with, policy);
    });
    return true;
}

std::optional<SessionBackupOutcome> BackgroundBackup::take_result() {
    if (!result_.valid() || result_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return std::nullopt;
    return result_.get();
}

void BackgroundBackup::wait() const {
    if (result_.valid()) result_.wait();
}

}  // namespace attune::io
