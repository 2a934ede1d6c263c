// session_backup.h: the automatic backups: one when a session ends and one a
// day (checked when the practice is unlocked and hourly while it is open),
// into the folder and with the count of the user's Settings.
//
// None of these throws: a failed backup must not make ending a session fail,
// so the outcome comes back as a sentence the view shows in the status line.
#pragma once

#include "core/records.h"
#include "formats/settings_file.h"

#include <chrono>
#include <filesystem>
#include <future>
#include <optional>
#include <string>

namespace attune::services {

class OpenPractice;
using formats::Settings;

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
    BackupResult result;             // the backup written and those rotated out, when ok
    std::string message;             // "Backed up to ..." or why it failed
};

// Backs the practice up now under `policy` (also when it is disabled: the
// caller asked), on its main connection, audited there.
SessionBackupOutcome backup_now(OpenPractice& practice, const BackupPolicy& policy);

// The same, for the command line: the backup written, or attune::Error saying why not.
BackupResult backup_or_throw(OpenPractice& practice, const BackupPolicy& policy);

// A backup on a worker thread, so that the window never waits for one (a large
// practice takes minutes). One at a time; a request while one runs is dropped.
class BackgroundBackup {
public:
    explicit BackgroundBackup(OpenPractice& practice) : practice_(practice) {}
    BackgroundBackup(const BackgroundBackup&) = delete;
    BackgroundBackup& operator=(const BackgroundBackup&) = delete;
    ~BackgroundBackup();  // waits for a running backup: it finishes rather than leaving a temporary file

    // Opens its own read-only connection from the practice (the database in WAL
    // mode lets the window go on writing meanwhile) and backs up. False when one
    // is already running; a finished one not yet taken is taken (and audited) first.
    bool start(BackupPolicy policy);
    // A backup is being written (one finished but not yet taken is not running).
    bool running() const;
    // The outcome once the backup is done, once; nullopt while it runs or when none ran.
    // The worker's connection was read-only: its audit row is written here, on
    // the practice's own connection, when the outcome is taken.
    std::optional<SessionBackupOutcome> take_result();
    // Blocks until the running backup is done (tests, shutdown).
    void wait() const;

private:
    OpenPractice& practice_;
    std::future<SessionBackupOutcome> result_;
};

// Whether the newest backup of the database at `db_path` in the policy's folder
// is older than a day (or missing); false when the policy is off.
bool daily_backup_due(const std::filesystem::path& db_path, const BackupPolicy& policy,
                      std::filesystem::file_time_type now);

inline constexpr std::chrono::hours kDailyBackupInterval{24};

}  // namespace attune::services
