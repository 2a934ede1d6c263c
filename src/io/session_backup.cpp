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
    try {
        const store::BackupResult result = store::backup_database(db, policy.folder, policy.keep);
        outcome.ok = true;
        outcome.file = result.file;
        outcome.message = "Backed up to " + result.file.string();
    } catch (const std::exception& e) {
        // Filesystem errors (a folder that cannot be created) land here too.
        outcome.message = std::string("Everything is saved, but the backup failed: ") + e.what();
    }
    return outcome;
}

std::optional<SessionBackupOutcome> backup_if_due(store::Database& db, const BackupPolicy& policy,
                                                  fs::file_time_type now) {
    if (!policy.enabled || db.read_only()) return std::nullopt;
    try {
        const auto backups = store::list_backups(db.path(), policy.folder);
        if (!backups.empty() && now - fs::last_write_time(backups.back()) < kDailyBackupInterval) return std::nullopt;
    } catch (const std::exception&) {
        // An unreadable folder: try the backup, whose error says what is wrong.
    }
    return backup_now(db, policy);
}

}  // namespace attune::io
