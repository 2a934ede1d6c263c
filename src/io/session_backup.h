// session_backup.h: the automatic backups: one when a session ends and one a
// day (checked when the practice is unlocked and hourly while it is open),
// into the folder and with the count of the user's Settings.
//
// None of these throws: a failed backup must not make ending a session fail,
// so the outcome comes back as a sentence the view shows in the status line.
#pragma once

#include "io/settings.h"
#include "store/backup.h"
#include "store/database.h"

#include <chrono>
#include <filesystem>
#include <future>
#include <optional>
#include <string>

namespace attune::io {

// data_dir()/backups: where backups go unless the user names a folder.
std::filesystem::path default_backup_dir();

struct BackupPolicy {
    bool enabled = false;  // off until the app applies the user's settings (tests stay out of $HOME)
    std::filesystem::path folder;
    int keep = 14;
};
// The policy of the user's settings: their folder (or the default) and count.
BackupPolicy backup_policy(const Settings& settings);

struct SessionBackupOutcome {
    bool ok = false;
    std::filesystem::path database;  // the database backed up
    store::BackupResult result;      // the backup written and those rotated out, when ok
    std::string message;             // "Backed up to ..." or why it failed
};

// Backs `db` up now under `policy` (also when it is disabled: the caller asked).
SessionBackupOutcome backup_now(store::Database& db, const BackupPolicy& policy);

// Opens its own read-only connection (the database in WAL mode lets the app go
// on writing meanwhile), backs up, and records nothing: the caller audits the
// outcome on its own connection. Never throws.
SessionBackupOutcome backup_copy_of(const store::OpenOptions& opened_with, const BackupPolicy& policy);

// A backup on a worker thread, so that the window never waits for one (a large
// practice takes minutes). One at a time; a request while one runs is dropped.
class BackgroundBackup {
public:
    BackgroundBackup() = default;
    BackgroundBackup(const BackgroundBackup&) = delete;
    BackgroundBackup& operator=(const BackgroundBackup&) = delete;
    ~BackgroundBackup();  // waits for a running backup: it finishes rather than leaving a temporary file

    // False when one is already running.
    bool start(store::OpenOptions opened_with, BackupPolicy policy);
    bool running() const { return result_.valid(); }
    // The outcome once the backup is done, once; nullopt while it runs or when none ran.
    std::optional<SessionBackupOutcome> take_result();
    // Blocks until the running backup is done (tests, shutdown).
    void wait() const;

private:
    std::future<SessionBackupOutcome> result_;
};

// Whether the newest backup of the database at `db_path` in the policy's folder
// is older than a day (or missing); false when the policy is off.
bool daily_backup_due(const std::filesystem::path& db_path, const BackupPolicy& policy,
                      std::filesystem::file_time_type now);

inline constexpr std::chrono::hours kDailyBackupInterval{24};
// A backup when the policy is enabled and the newest backup of this database in
// the folder is older than a day (or there is none); nullopt when none was due.
std::optional<SessionBackupOutcome> backup_if_due(store::Database& db, const BackupPolicy& policy,
                                                  std::filesystem::file_time_type now);

}  // namespace attune::io
