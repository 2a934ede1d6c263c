#include "store/security.h"

#include "store/audit_log.h"
#include "store/schema.h"
#include "store/sqlite_access.h"

#include <sqlcipher/sqlite3.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <vector>

namespace attune::store {
namespace fs = std::filesystem;

// [SECTION] File helpers

void fsync_path(const fs::path& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0 || ::fsync(fd) != 0) {
        const std::string reason = std::strerror(errno);
        if (fd >= 0) ::close(fd);
        throw StoreError(StoreError::Kind::Io, "cannot flush " + path.string() + " to disk: " + reason);
    }
    ::close(fd);
}

void durable_rename(const fs::path& from, const fs::path& to) {
    if (::rename(from.c_str(), to.c_str()) != 0)
        throw StoreError(StoreError::Kind::Io,
                         "cannot move " + from.string() + " to " + to.string() + ": " + std::strerror(errno));
    fs::path folder = to.parent_path();
    fsync_path(folder.empty() ? fs::path(".") : folder);
}

int lock_for_exclusive_use(const fs::path& db_path) {
    const std::string lock_path = db_path.string() + ".lock";
    const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0)
        throw StoreError(StoreError::Kind::Io, "cannot create " + lock_path + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        throw StoreError(StoreError::Kind::Locked,
                         db_path.string() + " is open in another Attune; close it there first");
    }
    return fd;
}

std::string local_timestamp_for_files() {
    const std::time_t now = std::time(nullptr);
    std::tm local{};
    localtime_r(&now, &local);
    char buffer[32];
    std::strftime(buffer, sizeof buffer, "%Y%m%d-%H%M%S", &local);
    return buffer;
}

namespace {

// Closes the lock fd however we leave the scope.
struct LockGuard {
    int fd = -1;
    ~LockGuard() {
        if (fd >= 0) ::close(fd);
    }
};

void remove_sidecars(const fs::path& db_path) {
    std::error_code ec;
    fs::remove(db_path.string() + "-wal", ec);
    fs::remove(db_path.string() + "-shm", ec);
}

// Overwrites an open file's bytes with zeros and flushes them, so the plaintext
// that was replaced does not linger in the freed blocks of most file systems.
void zero_fill(int fd) {
    struct stat info {};
    if (::fstat(fd, &info) != 0) return;
    const std::vector<char> zeros(64 * 1024, 0);
    off_t offset = 0;
    while (offset < info.st_size) {
        const auto chunk = static_cast<size_t>(std::min<off_t>(info.st_size - offset, static_cast<off_t>(zeros.size())));
        const ssize_t written = ::pwrite(fd, zeros.data(), chunk, offset);
        if (written <= 0) return;
        offset += written;
    }
    ::fsync(fd);
}

}  // namespace

// [SECTION] Verifying a file

void verify_database_file(const fs::path& path, std::string_view passphrase) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw StoreError(StoreError::Kind::NotFound, "no database file at " + path.string());
    const bool plaintext = is_plaintext_sqlite(path);
    if (!plaintext && passphrase.empty())
        throw StoreError(StoreError::Kind::WrongPassphrase, path.string() + " is encrypted: a passphrase is needed");
    try {
        SQLite::Database sql(path.string(), SQLite::OPEN_READONLY);
        if (!plaintext) {
            if (sqlite3_key(sql.getHandle(), passphrase.data(), static_cast<int>(passphrase.size())) != SQLITE_OK)
                throw StoreError(StoreError::Kind::NoEncryption, "SQLCipher refused the key");
            sql.exec("PRAGMA cipher_log_level = NONE");
        }
        try {
            sql.execAndGet("SELECT count(*) FROM sqlite_master");
        } catch (const SQLite::Exception& e) {
            if (e.getErrorCode() == SQLITE_NOTADB)
                throw StoreError(StoreError::Kind::WrongPassphrase,
                                 "cannot open " + path.string() + ": wrong passphrase, or not an Attune database");
            throw;
        }
        const int version = sql.execAndGet("PRAGMA user_version").getInt();
        const int latest = static_cast<int>(migrations().size());
        if (version == 0 || sql.execAndGet("PRAGMA application_id").getInt() != kApplicationId)
            throw StoreError(StoreError::Kind::NotAttune, path.string() + " is not an Attune database");
        if (version > latest)
            throw StoreError(StoreError::Kind::NewerSchema,
                             path.string() + " was written by a newer Attune (schema " + std::to_string(version) +
                                 "; this version knows up to " + std::to_string(latest) + ")");
        SQLite::Statement integrity(sql, "PRAGMA integrity_check");
        std::string problems;
        while (integrity.executeStep()) {
            const std::string line = integrity.getColumn(0).getString();
            if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
        }
        if (!problems.empty())
            throw StoreError(StoreError::Kind::Io, path.string() + " is damaged: " + problems);
    } catch (const SQLite::Exception& e) {
        if (e.getErrorCode() == SQLITE_NOTADB || e.getErrorCode() == SQLITE_CORRUPT)
            throw StoreError(StoreError::Kind::Io, path.string() + " is damaged (" + e.what() + ")");
        rethrow_as_store_error(e, "cannot check " + path.string());
    }
}

int kdf_iterations(Database& db) {
    try {
        return sql_of(db).execAndGet("PRAGMA kdf_iter").getInt();
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "reading the cipher settings failed");
    }
}

// [SECTION] Changing the passphrase

void change_passphrase(Database& db, std::string_view new_passphrase) {
    Database::Impl& impl = db.impl();
    if (impl.read_only)
        throw StoreError(StoreError::Kind::ReadOnly, "this database is open read-only: the passphrase was not changed");
    if (!impl.encrypted)
        throw StoreError(StoreError::Kind::Invalid,
                         db.path().string() + " is not encrypted: encrypt it first (attune encrypt)");
    if (new_passphrase.empty())
        throw StoreError(StoreError::Kind::Invalid, "the new passphrase is empty");
    // Cached statements hold no locks once reset, but dropping them keeps rekey's
    // exclusive write free of any reader on this connection.
    impl.statements.clear();
    sqlite3* handle = impl.sql->getHandle();
    if (sqlite3_rekey(handle, new_passphrase.data(), static_cast<int>(new_passphrase.size())) != SQLITE_OK)
        throw StoreError(StoreError::Kind::Io,
                         "changing the passphrase failed (" + std::string(sqlite3_errmsg(handle)) +
                             "); the old passphrase still opens the database");
    try {
        // WAL frames written under the old key are folded in and the WAL emptied.
        impl.sql->exec("PRAGMA wal_checkpoint(TRUNCATE)");
    } catch (const SQLite::Exception& e) {
        rethrow_as_store_error(e, "the passphrase was changed, but flushing the database failed");
    }
    AuditLog(db).record("rekey", "database", db.path().filename().string(), "passphrase changed");
}

// [SECTION] Encrypting a plaintext database

void encrypt_plaintext_database(const fs::path& path, std::string_view passphrase,
                                const std::string& actor_name) {
    if (passphrase.empty()) throw StoreError(StoreError::Kind::Invalid, "the passphrase is empty");
    std::error_code ec;
    if (!fs::exists(path, ec)) throw StoreError(StoreError::Kind::NotFound, "no database at " + path.string());
    if (!is_plaintext_sqlite(path))
        throw StoreError(StoreError::Kind::Invalid,
                         path.string() + " is already encrypted (or is not an SQLite database); nothing was changed");
    LockGuard lock{lock_for_exclusive_use(path)};
    verify_database_file(path, "");

    const fs::path encrypted = path.string() + ".encrypting";
    fs::remove(encrypted, ec);
    try {
        // OPEN_CREATE: an attached database inherits the flags, and the export target is new.
        SQLite::Database sql(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        // Fold any WAL into the main file so the export sees every committed row.
        sql.exec("PRAGMA wal_checkpoint(TRUNCATE)");
        const int version = sql.execAndGet("PRAGMA user_version").getInt();
        SQLite::Statement attach(sql, "ATTACH DATABASE ?1 AS encrypted KEY ?2");
        attach.bind(1, encrypted.string());
        // Bound without a copy (the bytes, as SQLCipher reads a KEY), never spliced into SQL text.
        attach.bindNoCopy(2, passphrase.data(), static_cast<int>(passphrase.size()));
        attach.exec();
        sql.execAndGet("SELECT sqlcipher_export('encrypted')");
        sql.exec("PRAGMA encrypted.user_version = " + std::to_string(version));
        sql.exec("PRAGMA encrypted.application_id = " + std::to_string(kApplicationId));
        sql.exec("DETACH DATABASE encrypted");
    } catch (const SQLite::Exception& e) {
        fs::remove(encrypted, ec);
        rethrow_as_store_error(e, "encrypting " + path.string() + " failed (the original is unchanged)");
    }
    try {
        verify_database_file(encrypted, passphrase);
        fsync_path(encrypted);
    } catch (...) {
        fs::remove(encrypted, ec);
        throw;
    }

    // Keep the plaintext inode open across the rename so its bytes can be zeroed after.
    const int old_fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    remove_sidecars(path);
    try {
        durable_rename(encrypted, path);
    } catch (...) {
        if (old_fd >= 0) ::close(old_fd);
        fs::remove(encrypted, ec);
        throw;
    }
    if (old_fd >= 0) {
        zero_fill(old_fd);
        ::close(old_fd);
    }
    ::close(lock.fd);
    lock.fd = -1;

    OpenOptions options;
    options.path = path;
    options.passphrase = passphrase;
    auto db = Database::open(options);
    Person actor;
    actor.name = actor_name;
    db->set_actor(actor);
    AuditLog(*db).record("encrypt", "database", path.filename().string(),
                         "encrypted with SQLCipher " + db->cipher_version());
}

}  // namespace attune::store
