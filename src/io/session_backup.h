// session_backup.h: the automatic backup taken when a session ends.
//
// The session view calls backup_after_session_end() right after it ends a
// session (not wired into src/ui yet). It never throws: a failed backup must
// not make ending the session fail, so the outcome comes back as a sentence
// the view can show (for example in the status line).
#pragma once

#include "store/backup.h"
#include "store/database.h"

#include <filesystem>
#include <string>

namespace attune::io {

// data_dir()/backups: where backups go unless the user names a folder.
std::filesystem::path default_backup_dir();

struct SessionBackupOutcome {
    bool ok = false;
    std::filesystem::path file;  // the backup written, when ok
    std::string message;         // "backed up to ..." or why it failed
};

// Backs `db` up into default_backup_dir(), keeping the last 14 backups.
SessionBackupOutcome backup_after_session_end(store::Database& db);

}  // namespace attune::io
