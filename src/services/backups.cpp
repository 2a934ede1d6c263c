#include "services/backups.h"

#include "services/audit_checkpoint.h"
#include "services/media_internal.h"
#include "services/open_practice.h"
#include "services/paths.h"
#include "services/practice_access.h"
#include "store/backup.h"

namespace attune::services {
namespace fs = std::filesystem;

fs::path default_backup_dir() { return data_dir() / "backups"; }

BackupPolicy backup_policy(const Settings& settings) {
    BackupPolicy policy;
    policy.enabled = true;
    policy.folder = settings.backup_folder.empty() ? default_backup_dir() : fs::path(settings.backup_folder);
    policy.keep = settings.backup_count;
    return policy;
}

namespace {

// Backups copy the database only: recordings can be gigabytes, and the
// encrypted ones stay readable with the same practice's key wherever the
// user copies the media folder. Every backup says so when there are any.
void note_media(store::Database& db, BackupResult& result) {
    result.media_note =
        backup_media_note(detail::media_summary_on(db, std::filesystem::path(db.path().string() + ".media")));
}

SessionBackupOutcome backup_on(store::Database& db, const BackupPolicy& policy) {
    SessionBackupOutcome outcome;
    outcome.database = db.path();
    try {
        outcome.result = store::backup_database(db, policy.folder, policy.keep);
        note_media(db, outcome.result);
        outcome.ok = true;
        outcome.message = "Backed up to " + outcome.result.file.string();
        if (!outcome.result.media_note.empty()) outcome.message += " (" + outcome.result.media_note + ")";
    } catch (const std::exception& e) {
        // Filesystem errors (a folder that cannot be created) land here too.
        outcome.message = std::string("Everything is saved, but the backup failed: ") + e.what();
    }
    return outcome;
}

// The backup's metadata: a signed checkpoint of the chain the backup holds,
// beside it (services/audit_checkpoint.h); those of rotated-out backups go with them.
void keep_checkpoint_with(OpenPractice& practice, const BackupResult& result) {
    std::error_code ec;
    for (const fs::path& removed : result.removed) fs::remove(backup_checkpoint_path(removed), ec);
    if (!practice.has_keys() || practice.locked() || result.audit_rows < 1) return;
    const detail::StatementSigner signer = PracticeAccess::signer(practice);
    detail::write_checkpoint(backup_checkpoint_path(result.file), practice.practice_uuid(), result.audit_rows,
                             result.audit_head, {signer.uuid, signer.secret_key, practice.public_key()});
}

void keep_checkpoint_with(OpenPractice& practice, SessionBackupOutcome& outcome) {
    if (!outcome.ok) return;
    try {
        keep_checkpoint_with(practice, outcome.result);
    } catch (const std::exception& e) {
        outcome.message += std::string(" (its audit checkpoint could not be written: ") + e.what() + ")";
    }
}

}  // namespace

SessionBackupOutcome backup_now(OpenPractice& practice, const BackupPolicy& policy) {
    SessionBackupOutcome outcome = backup_on(database_of(practice), policy);
    keep_checkpoint_with(practice, outcome);
    return outcome;
}

BackupResult backup_or_throw(OpenPractice& practice, const BackupPolicy& policy) {
    BackupResult result = store::backup_database(database_of(practice), policy.folder, policy.keep);
    note_media(database_of(practice), result);
    keep_checkpoint_with(practice, result);
    return result;
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

BackgroundBackup::~BackgroundBackup() { wait(); }

bool BackgroundBackup::running() const {
    return result_.valid() && result_.wait_for(std::chrono::seconds(0)) != std::future_status::ready;
}

bool BackgroundBackup::start(BackupPolicy policy) {
    if (running()) return false;
    if (result_.valid()) take_result();  // finished but never taken: audited now, not lost
    const std::filesystem::path database = practice_.path();
    result_ = std::async(std::launch::async, [this, database, policy = std::move(policy)] {
        try {
            const auto db = worker_connection(practice_, true);
            return backup_on(*db, policy);
        } catch (const std::exception& e) {
            SessionBackupOutcome outcome;
            outcome.database = database;
            outcome.message = std::string("Everything is saved, but the backup failed: ") + e.what();
            return outcome;
        }
    });
    return true;
}

std::optional<SessionBackupOutcome> BackgroundBackup::take_result() {
    if (!result_.valid() || result_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return std::nullopt;
    SessionBackupOutcome outcome = result_.get();
    if (outcome.ok && !practice_.read_only() && !practice_.locked()) {
        try {
            store::record_backup(database_of(practice_), outcome.result, "in the background");
        } catch (const std::exception& e) {
            outcome.message += std::string(" (the audit log could not record it: ") + e.what() + ")";
        }
    }
    if (!practice_.locked()) keep_checkpoint_with(practice_, outcome);
    return outcome;
}

void BackgroundBackup::wait() const {
    if (result_.valid()) result_.wait();
}

}  // namespace attune::services
