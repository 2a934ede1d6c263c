#include "store/database.h"

#include "core/sha256.h"
#include "core/uuid.h"
#include "store/schema.h"
#include "store/sqlite_access.h"

#include <sqlcipher/sqlite3.h>
#include <sys/file.h>
#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <fstream>

namespace attune::store {
namespace fs = std::filesystem;

// [SECTION] Small helpers

bool is_plaintext_sqlite(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    std::array<char, 16> header{};
    if (!in.read(header.data(), header.size())) return false;
    return std::memcmp(header.data(), "SQLite format 3\0", 16) == 0;
}

SQLite::Statement& Database::Impl::statement(const std::string& sql_text) {
    auto found = statements.find(sql_text);
    if (found == statements.end())
        found = statements.emplace(sql_text, std::make_unique<SQLite::Statement>(*sql, sql_text)).first;
    SQLite::Statement& stmt = *found->second;
    stmt.reset();
    stmt.clearBindings();
    return stmt;
}

void Database::Impl::release_statements() {
    for (auto& entry : statements) entry.second->tryReset();
}

[[noreturn]] void rethrow_as_store_error(const SQLite::Exception& e, const std::string& doing) {
    const int code = e.getErrorCode();
    std::string what = e.what();
    switch (code) {
        case SQLITE_FULL:
            throw StoreError(StoreError::Kind::Io, doing + ": the disk is full (nothing was saved)");
        case SQLITE_READONLY:
            throw StoreError(StoreError::Kind::ReadOnly,
                             doing + ": the database is read-only (nothing was saved)");
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw StoreError(StoreError::Kind::Locked,
                             doing + ": the database is busy in another program (nothing was saved)");
        case SQLITE_CORRUPT:
        case SQLITE_NOTADB:
            throw StoreError(StoreError::Kind::Io, doing + ": the database file is damaged (" + what + ")");
        case SQLITE_IOERR:
        case SQLITE_CANTOPEN:
            throw StoreError(StoreError::Kind::Io, doing + ": cannot write the database file (" + what + ")");
        case SQLITE_CONSTRAINT:
            throw StoreError(StoreError::Kind::Invalid, doing + ": " + what);
        default:
            throw StoreError(StoreError::Kind::Io, doing + ": " + what);
    }
}

void write_transaction(Database& db, const std::function<void(SQLite::Database&)>& work, WritesData writes) {
    Database::Impl& impl = db.impl();
    if (impl.read_only)
        throw StoreError(StoreError::Kind::ReadOnly, "this database is open read-only: nothing was changed");
    // In WAL mode SQLite happily commits into a file that was deleted or moved
    // while open, where the write would be lost; refuse so callers keep it pending.
    int moved = 0;
    if (sqlite3_file_control(impl.sql->getHandle(), "main", SQLITE_FCNTL_HAS_MOVED, &moved) == SQLITE_OK && moved)
        throw StoreError(StoreError::Kind::Io, "saving failed: the database file " + impl.path.string() +
                                                   " was moved or deleted while open (nothing was saved)");
    // A cached statement left on a row keeps a read snapshot open, and SQLite
    // cannot checkpoint the WAL past it: the log would grow without bound.
    impl.release_statements();
    try {
        SQLite::Transaction transaction(*impl.sql, SQLite::TransactionBehavior::IMMEDIATE);
        work(*impl.sql);
        impl.release_statements();
        transaction.commit();
    } catch (const SQLite::Exception& e) {
        impl.release_statements();
        rethrow_as_store_error(e, "saving failed");
    }
    if (writes == WritesData::Yes) ++impl.data_version;
}

std::optional<int> optional_int(const SQLite::Column& column) {
    if (column.isNull()) return std::nullopt;
    return column.getInt();
}

std::optional<double> optional_double(const SQLite::Column& column) {
    if (column.isNull()) return std::nullopt;
    return column.getDouble();
}

void bind_optional(SQLite::Statement& statement, int index, const std::optional<int>& value) {
    if (value) statement.bind(index, *value);
    else statement.bind(index);
}

void bind_optional(SQLite::Statement& statement, int index, const std::optional<double>& value) {
    if (value) statement.bind(index, *value);
    else statement.bind(index);
}

// [SECTION] Opening

namespace {

void apply_key(SQLite::Database& sql, std::string_view passphrase) {
    if (sqlite3_key(sql.getHandle(), passphrase.data(), static_cast<int>(passphrase.size())) != SQLITE_OK)
        throw StoreError(StoreError::Kind::NoEncryption, "SQLCipher refused the key");
}

std::string query_cipher_version(SQLite::Database& sql) {
    SQLite::Statement query(sql, "PRAGMA cipher_version");
    return query.executeStep() ? query.getColumn(0).getString() : std::string();
}

// Takes the advisory lock that makes us the one writer of this database.
int take_writer_lock(const fs::path& db_path) {
    const std::string lock_path = db_path.string() + ".lock";
    const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return -1;  // a read-only folder: SQLite will report the real problem
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        throw StoreError(StoreError::Kind::Locked,
                         db_path.string() + " is open in another Attune; open it read-only instead");
    }
    return fd;
}

// attune_sha256_uuid(text): the first 16 bytes of the text's SHA-256 as a
// uuid (8-4-4-4-12 lowercase hex), for migrations that give existing rows a
// uuid every copy derives alike (PostgreSQL's encode(sha256(...), 'hex')::uuid
// gives the same). Direct only: no schema, view or trigger can call it.
void sha256_uuid(sqlite3_context* context, int, sqlite3_value** argv) {
    const unsigned char* text = sqlite3_value_text(argv[0]);
    if (text == nullptr) {
        sqlite3_result_null(context);
        return;
    }
    const std::string hash = sha256_hex(
        std::string_view(reinterpret_cast<const char*>(text), static_cast<std::size_t>(sqlite3_value_bytes(argv[0]))));
    const std::string out = hash.substr(0, 8) + "-" + hash.substr(8, 4) + "-" + hash.substr(12, 4) + "-" +
                            hash.substr(16, 4) + "-" + hash.substr(20, 12);
    sqlite3_result_text(context, out.c_str(), static_cast<int>(out.size()), SQLITE_TRANSIENT);
}

void migrate(Database::Impl& impl) {
    SQLite::Database& sql = *impl.sql;
    sqlite3_create_function(sql.getHandle(), "attune_sha256_uuid", 1,
                            SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY, nullptr, sha256_uuid, nullptr,
                            nullptr);
    const int version = sql.execAndGet("PRAGMA user_version").getInt();
    const int latest = static_cast<int>(migrations().size());
    if (version > latest)
        throw StoreError(StoreError::Kind::NewerSchema,
                         impl.path.string() + " was written by a newer Attune (schema " +
                             std::to_string(version) + "; this version knows up to " +
                             std::to_string(latest) + "). Update Attune to open it.");
    if (version == 0) {
        const int tables = sql.execAndGet("SELECT count(*) FROM sqlite_master").getInt();
        if (tables > 0)
            throw StoreError(StoreError::Kind::NotAttune, impl.path.string() + " is not an Attune database");
    } else if (sql.execAndGet("PRAGMA application_id").getInt() != kApplicationId) {
        throw StoreError(StoreError::Kind::NotAttune, impl.path.string() + " is not an Attune database");
    }
    if (version < latest && impl.read_only)
        throw StoreError(StoreError::Kind::ReadOnly,
                         impl.path.string() + " needs an upgrade, which cannot be done read-only");
    for (int next = version + 1; next <= latest; ++next) {
        SQLite::Transaction transaction(sql, SQLite::TransactionBehavior::EXCLUSIVE);
        sql.exec(std::string(migrations()[static_cast<size_t>(next - 1)]));
        sql.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
        sql.exec("PRAGMA user_version = " + std::to_string(next));
        transaction.commit();
    }
    impl.schema_version = latest;
}

}  // namespace

Database::Database(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Database::~Database() {
    if (!impl_) return;
    impl_->statements.clear();
    impl_->sql.reset();
    if (impl_->lock_fd >= 0) ::close(impl_->lock_fd);
}

std::unique_ptr<Database> Database::open(const OpenOptions& options) {
    auto impl = std::make_unique<Impl>();
    impl->path = options.path;
    impl->read_only = options.read_only;

    std::error_code ec;
    const bool exists = fs::exists(options.path, ec);
    if (!exists && !options.create_if_missing)
        throw StoreError(StoreError::Kind::NotFound, "no database at " + options.path.string());
    if (!exists && options.read_only)
        throw StoreError(StoreError::Kind::NotFound, "no database at " + options.path.string());
    if (exists && fs::is_directory(options.path, ec))
        throw StoreError(StoreError::Kind::NotAttune, options.path.string() + " is a folder, not a database");

    const bool plaintext = exists ? is_plaintext_sqlite(options.path) : options.allow_unencrypted;
    if (!exists && !plaintext && (!options.passphrase || options.passphrase->empty()))
        throw StoreError(StoreError::Kind::Invalid,
                         "a new database needs a passphrase (or an explicit choice of no encryption)");
    if (exists && !plaintext && (!options.passphrase || options.passphrase->empty()))
        throw StoreError(StoreError::Kind::WrongPassphrase,
                         options.path.string() + " is encrypted: a passphrase is needed to open it");
    impl->encrypted = !plaintext;

    if (!options.read_only && !options.worker_of_this_process) impl->lock_fd = take_writer_lock(options.path);
    auto release_lock = [&] {
        if (impl->lock_fd >= 0) ::close(impl->lock_fd);
        impl->lock_fd = -1;
    };

    try {
        int flags = options.read_only ? SQLite::OPEN_READONLY : SQLite::OPEN_READWRITE;
        if (!exists) flags |= SQLite::OPEN_CREATE;
        impl->sql = std::make_unique<SQLite::Database>(options.path.string(), flags);
        impl->cipher_version = query_cipher_version(*impl->sql);
        if (impl->cipher_version.empty())
            throw StoreError(StoreError::Kind::NoEncryption,
                             "this Attune was built without SQLCipher; refusing to store notes unencrypted");
        if (impl->encrypted) {
            apply_key(*impl->sql, *options.passphrase);
            // SQLCipher logs decryption failures to stderr; our own message says it plainly.
            // (The setting is only honoured once the connection has a key.)
            impl->sql->exec("PRAGMA cipher_log_level = NONE");
        }
        // The first read proves the key; with a wrong key nothing has been written yet.
        try {
            impl->sql->execAndGet("SELECT count(*) FROM sqlite_master");
        } catch (const SQLite::Exception& e) {
            if (e.getErrorCode() == SQLITE_NOTADB)
                throw StoreError(StoreError::Kind::WrongPassphrase,
                                 "cannot open " + options.path.string() +
                                     ": wrong passphrase, or not an Attune database");
            throw;
        }
        if (!options.read_only) {
            impl->sql->exec("PRAGMA journal_mode = WAL");
            impl->sql->exec("PRAGMA synchronous = FULL");
        }
        impl->sql->exec("PRAGMA foreign_keys = ON");
        impl->sql->exec("PRAGMA busy_timeout = 2000");
        migrate(*impl);
    } catch (const StoreError&) {
        impl->sql.reset();
        release_lock();
        throw;
    } catch (const SQLite::Exception& e) {
        impl->sql.reset();
        release_lock();
        if (e.getErrorCode() == SQLITE_NOTADB || e.getErrorCode() == SQLITE_CORRUPT)
            throw StoreError(StoreError::Kind::Io, "cannot open " + options.path.string() +
                                                       ": the file is damaged or not an Attune database");
        if (e.getErrorCode() == SQLITE_CANTOPEN)
            throw StoreError(StoreError::Kind::Io, "cannot open " + options.path.string() + ": " + e.what());
        rethrow_as_store_error(e, "cannot open " + options.path.string());
    }
    impl->actor.name = "attune";
    return std::unique_ptr<Database>(new Database(std::move(impl)));
}

const fs::path& Database::path() const { return impl_->path; }
bool Database::encrypted() const { return impl_->encrypted; }
bool Database::read_only() const { return impl_->read_only; }
int Database::schema_version() const { return impl_->schema_version; }
std::string Database::cipher_version() const { return impl_->cipher_version; }
void Database::set_actor(const Person& person) { impl_->actor = person; }
void Database::set_audit_signer(AuditSigner signer) { impl_->audit_signer = std::move(signer); }
const Person& Database::actor() const { return impl_->actor; }
std::uint64_t Database::data_version() const { return impl_->data_version; }
void Database::end_open_reads() { impl_->release_statements(); }

}  // namespace attune::store
