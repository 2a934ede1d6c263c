// sqlite_access.h: private to src/store. Gives repositories the SQLite
// connection behind a Database and the helpers they share.
#pragma once

#include "core/records.h"
#include "core/scheme.h"
#include "store/database.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <functional>
#include <map>
#include <optional>
#include <memory>
#include <string>

namespace attune::store {

struct Database::Impl {
    std::filesystem::path path;
    std::unique_ptr<SQLite::Database> sql;
    bool encrypted = true;
    bool read_only = false;
    int schema_version = 0;
    std::string cipher_version;
    Person actor;
    Database::AuditSigner audit_signer;
    std::uint64_t data_version = 1;
    int lock_fd = -1;  // advisory lock held while writable: one writer at a time
    std::map<std::string, std::unique_ptr<SQLite::Statement>> statements;
    std::map<RowId, CodingScheme> schemes;  // parsed once per connection; rows never change

    // A prepared statement kept for the life of the connection, reset for reuse.
    SQLite::Statement& statement(const std::string& sql_text);
    // Resets every cached statement, ending the read snapshots they may hold.
    void release_statements();
};

inline SQLite::Database& sql_of(Database& db) { return *db.impl().sql; }

// Runs `work` in one IMMEDIATE transaction: committed whole or rolled back whole.
// SQLite errors become StoreError with a plain message; data_version is bumped
// after a successful commit.
// A cache write (WritesData::CacheOnly) does not move data_version: what the
// views show has not changed, so nothing needs to reload after a read.
enum class WritesData { Yes, CacheOnly };
void write_transaction(Database& db, const std::function<void(SQLite::Database&)>& work,
                       WritesData writes = WritesData::Yes);

// Translates an SQLite exception into a StoreError that says what failed.
[[noreturn]] void rethrow_as_store_error(const SQLite::Exception& e, const std::string& doing);

// The progress note of a session in the main database (empty fields when none);
// what a signature's hash is taken over (signing, bundle merge).
ProgressNote read_progress_note(SQLite::Database& sql, RowId session_id);

// Keeps the current progress note of each session `sessions` selects (SQL text
// giving session ids, e.g. "(?)" bound to `session_id`, or a subquery) as a
// new version by `author_id`, unless it is the same as that session's latest
// version (migration 9). Inside the caller's write transaction.
void keep_note_versions(SQLite::Database& sql, const std::string& sessions, RowId author_id, NoteVersion::How how,
                        std::optional<RowId> session_id = std::nullopt);

// Optional column helpers.
std::optional<int> optional_int(const SQLite::Column& column);
std::optional<double> optional_double(const SQLite::Column& column);
void bind_optional(SQLite::Statement& statement, int index, const std::optional<int>& value);
void bind_optional(SQLite::Statement& statement, int index, const std::optional<double>& value);

}  // namespace attune::store
