#include "store/backup.h"

#include "store/audit_log.h"
#include "store/keyring.h"
#include "store/security.h"
#include "store/sqlite_access.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>

namespace attune::store {
namespace fs = std::filesystem;

namespace {

constexpr const char* kBackupExtension = ".attune-backup";

struct LockGuard {
    int fd = -1;
    ~LockGuard() {
        if (fd >= 0) ::close(fd);
    }
    void release() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
};

// "<stem>-YYYYMMDD-HHMMSS.attune-backup"
bool is_backup_of(const std::string& name, const std::string& stem) {
    const std::string prefix = stem + "-";
    const std::string extension = kBackupExtension;
    if (name.size() != prefix.size() + 15 + extension.size()) return false;
    if (name.compare(0, prefix.size(), prefix) != 0) return false;
    if (name.compare(name.size() - extension.size(), extension.size(), extension) != 0) return false;
    const std::string stamp = name.substr(prefix.size(), 15);
    for (size_t i = 0; i < stamp.size(); ++i) {
        const bool digit = std::isdigit(static_cast<unsigned char>(stamp[i])) != 0;
        if (i == 8 ? stamp[i] != '-' : !digit) return false;
    }
    return true;
}

void copy_durably(const fs::path& from, const fs::path& to) {
    std::error_code ec;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing, ec);
    if (ec) throw StoreError(StoreError::Kind::Io, "cannot copy " + from.string() + " to " + to.string() + ": " + ec.message());
    fsync_path(to);
}

// Checks the new backup through the live connection: ATTACH without KEY makes
// SQLCipher use the main database's key, so this proves the same passphrase
// opens it, without this code ever holding the passphrase.
void verify_backup_with_live_key(SQLite::Database& sql, const fs::path& file, bool expect_encrypted,
                                 BackupResult& result) {
    if (expect_encrypted && is_plaintext_sqlite(file))
        throw StoreError(StoreError::Kind::NoEncryption,
                         "the backup came out unencrypted; it was deleted (this SQLCipher cannot encrypt VACUUM INTO)");
    SQLite::Statement attach(sql, "ATTACH DATABASE ?1 AS backup_check");
    attach.bind(1, file.string());
    attach.exec();
    std::string problems;
    try {
        SQLite::Statement integrity(sql, "PRAGMA backup_check.integrity_check");
        while (integrity.executeStep()) {
            const std::string line = integrity.getColumn(0).getString();
            if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
        }
    } catch (const SQLite::Exception& e) {
        problems = e.what();
    }
    if (problems.empty()) {
        // How far the backup's own chain reaches, for the checkpoint kept with it.
        SQLite::Statement reach(sql,
                                "SELECT count(*), coalesce((SELECT hash FROM backup_check.audit_log ORDER BY id DESC "
                                "LIMIT 1), '') FROM backup_check.audit_log");
        if (reach.executeStep()) {
            result.audit_rows = reach.getColumn(0).getInt64();
            result.audit_head = reach.getColumn(1).getString();
        }
    }
    sql.exec("DETACH DATABASE backup_check");
    if (!problems.empty())
        throw StoreError(StoreError::Kind::Io, "the new backup failed its check (" + problems + "); it was deleted");
}

}  // namespace

std::vector<fs::path> list_backups(const fs::path& db_path, const fs::path& dir) {
    std::vector<fs::path> out;
    std::error_code ec;
    const std::string stem = db_path.stem().string();
    for (const auto& entry : fs::directory_iterator(dir, ec))
        if (entry.is_regular_file(ec) && is_backup_of(entry.path().filename().string(), stem))
            out.push_back(entry.path());
    // The timestamp in the name sorts the same as time.
    std::sort(out.begin(), out.end());
    return out;
}

BackupResult backup_database(Database& db, const fs::path& dir, int keep) {
    if (keep < 1) throw StoreError(StoreError::Kind::Invalid, "at least one backup must be kept");
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) throw StoreError(StoreError::Kind::Io, "cannot create the backup folder " + dir.string() + ": " + ec.message());

    BackupResult result;
    const std::string name = db.path().stem().string() + "-" + local_timestamp_for_files() + kBackupExtension;
    result.file = dir / name;
    const fs::path temporary = dir / ("." + name + ".partial");
    fs::remove(temporary, ec);

    SQLite::Database& sql = sql_of(db);
    try {
        // A cached statement left on a row counts as "in progress" and blocks VACUUM.
        db.impl().release_statements();
        SQLite::Statement vacuum(sql, "VACUUM INTO ?1");
        vacuum.bind(1, temporary.string());
        vacuum.exec();
        verify_backup_with_live_key(sql, temporary, db.encrypted(), result);
        fsync_path(temporary);
        // The keyring travels with the backup (`<backup>.keyring`): without
        // it nobody's passphrase opens the copy. Copied before the backup
        // takes its name, so a backup never stands without its keys.
        const fs::path keyring = keyring_path_for(db.path());
        if (fs::exists(keyring, ec)) copy_durably(keyring, keyring_path_for(result.file));
        durable_rename(temporary, result.file);
    } catch (const SQLite::Exception& e) {
        fs::remove(temporary, ec);
        if (!fs::exists(result.file, ec)) fs::remove(keyring_path_for(result.file), ec);
        rethrow_as_store_error(e, "the backup failed");
    } catch (...) {
        fs::remove(temporary, ec);
        if (!fs::exists(result.file, ec)) fs::remove(keyring_path_for(result.file), ec);
        throw;
    }
    result.bytes = fs::file_size(result.file, ec);

    const std::vector<fs::path> backups = list_backups(db.path(), dir);
    const size_t excess = backups.size() > static_cast<size_t>(keep) ? backups.size() - static_cast<size_t>(keep) : 0;
    for (size_t i = 0; i < excess; ++i)
        if (fs::remove(backups[i], ec)) {
            fs::remove(keyring_path_for(backups[i]), ec);
            result.removed.push_back(backups[i]);
        }

    if (!db.read_only()) record_backup(db, result);
    return result;
}

void record_backup(Database& db, const BackupResult& result, const std::string& how) {
    std::error_code ec;
    const fs::path where = fs::absolute(result.file, ec);
    std::string detail = "to " + (ec ? result.file : where.lexically_normal()).string();
    if (!how.empty()) detail += " (" + how + ")";
    if (!result.removed.empty()) detail += "; " + std::to_string(result.removed.size()) + " older removed";
    AuditLog(db).record("backup", "database", db.path().filename().string(), detail);
}

RestoreResult restore_database(const fs::path& from, const fs::path& db_path, std::string_view passphrase,
                               const std::string& actor_name, const std::string& actor_uuid,
                               const Database::AuditSigner& signer, const std::string& lost) {
    verify_database_file(from, passphrase);
    LockGuard lock{lock_for_exclusive_use(db_path)};

    RestoreResult result;
    std::error_code ec;
    const std::string wal = db_path.string() + "-wal";
    if (fs::exists(db_path, ec)) {
        result.safety_copy = db_path.string() + ".before-restore-" + local_timestamp_for_files();
        copy_durably(db_path, result.safety_copy);
        // A WAL left by a crash still holds committed writes: it travels with its copy.
        if (fs::exists(wal, ec)) copy_durably(wal, result.safety_copy.string() + "-wal");
        if (fs::exists(db_path.string() + ".keyring", ec))
            copy_durably(db_path.string() + ".keyring", result.safety_copy.string() + ".keyring");
    }
    const fs::path temporary = db_path.string() + ".restoring";
    try {
        copy_durably(from, temporary);
        if (fs::exists(from.string() + ".keyring", ec))
            copy_durably(from.string() + ".keyring", db_path.string() + ".keyring.restoring");
        // The old WAL must never be replayed onto the restored file.
        fs::remove(wal, ec);
        fs::remove(db_path.string() + "-shm", ec);
        durable_rename(temporary, db_path);
        if (fs::exists(db_path.string() + ".keyring.restoring", ec))
            durable_rename(db_path.string() + ".keyring.restoring", db_path.string() + ".keyring");
    } catch (...) {
        fs::remove(temporary, ec);
        throw;
    }
    lock.release();

    OpenOptions options;
    options.path = db_path;
    if (!passphrase.empty()) options.passphrase = passphrase;
    auto db = Database::open(options);
    Person actor;
    actor.name = actor_name;
    actor.uuid = actor_uuid;
    db->set_actor(actor);
    db->set_audit_signer(signer);
    AuditLog log(*db);
    log.record("restore", "database", db_path.filename().string(),
               "from " + from.filename().string() +
                   (result.safety_copy.empty() ? "" : "; replaced copy kept as " + result.safety_copy.filename().string()) +
                   (lost.empty() ? "" : "; " + lost));
    const AuditLog::Reach reach = log.reach();
    result.audit_rows = reach.rows;
    result.audit_head = reach.head;
    result.lost = lost;
    return result;
}

}  // namespace attune::store
