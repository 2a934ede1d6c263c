#include "io/session_backup.h"

#include "io/paths.h"

namespace attune::io {

std::filesystem::path default_backup_dir() { return data_dir() / "backups"; }

SessionBackupOutcome backup_after_session_end(store::Database& db) {
    SessionBackupOutcome outcome;
    try {
        const store::BackupResult result = store::backup_database(db, default_backup_dir());
        outcome.ok = true;
        outcome.file = result.file;
        outcome.message = "backed up to " + result.file.string();
    } catch (const std::exception& e) {
        // Filesystem errors (a data dir that cannot be created) land here too.
        outcome.message = std::string("the session is saved, but the backup failed: ") + e.what();
    }
    return outcome;
}

}  // namespace attune::io
