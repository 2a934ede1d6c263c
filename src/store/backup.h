// backup.h: encrypted backups of a practice database, and restoring one.
//
// A backup is a compacted copy made with VACUUM INTO, which SQLCipher encrypts
// with the live database's own key: the same passphrase opens it, and the
// passphrase is never needed (or seen) to make one. Each backup is written
// under a temporary name, verified read-only (integrity_check), then renamed
// to `<dbname>-YYYYMMDD-HHMMSS.attune-backup`, so a half-written backup never
// carries a backup's name.
#pragma once

#include "core/records.h"
#include "store/database.h"

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace attune::store {

using attune::BackupResult;
using attune::RestoreResult;


// Backs `db` up into `dir` (created if missing) and keeps only the newest
// `keep` backups of this database there (other files are never touched).
// Audited ("backup") when the connection is writable. Two backups within the
// same second share a name: the later one replaces the earlier. Throws StoreError.
BackupResult backup_database(Database& db, const std::filesystem::path& dir, int keep = 14);

// The audit row of a backup of `db` (`how` is added to its detail, e.g. "in
// the background" for one made on another connection). Throws StoreError.
void record_backup(Database& db, const BackupResult& result, const std::string& how = "");


// Replaces `db_path` with the backup `from`, after checking that `from` opens
// with `passphrase` and passes integrity_check. The database being replaced is
// first copied to `<db>.before-restore-YYYYMMDD-HHMMSS` (with its -wal, so no
// committed write is lost). Refuses with Kind::Locked while another Attune has
// the database open for writing. Audited ("restore") in the restored database,
// by `actor` and signed with `signer` when the practice has personal keys;
// `lost` (what the replaced file had that the backup has not) is added to
// that row's detail. The result says how far the restored chain reaches.
RestoreResult restore_database(const std::filesystem::path& from, const std::filesystem::path& db_path,
                               std::string_view passphrase, const std::string& actor_name = "attune",
                               const std::string& actor_uuid = "", const Database::AuditSigner& signer = {},
                               const std::string& lost = "");

// Backup files of the database at `db_path` found in `dir`, oldest first.
std::vector<std::filesystem::path> list_backups(const std::filesystem::path& db_path,
                                                const std::filesystem::path& dir);

}  // namespace attune::store
