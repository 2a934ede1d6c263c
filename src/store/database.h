// database.h: one practice's Attune database (SQLCipher-encrypted SQLite).
//
// Opening checks the passphrase on a read-only connection first, so a wrong
// passphrase leaves the file byte-for-byte untouched; then it verifies that
// SQLCipher is really linked (PRAGMA cipher_version), applies the pragmas
// (WAL, synchronous=FULL, foreign keys) and migrates the schema.
// The SQLite handle stays inside src/store (see store/sqlite_access.h).
#pragma once

#include "core/dates.h"
#include "core/error.h"
#include "core/model.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace attune::store {

// Every failure the store reports: one plain sentence for the user (core/error.h).
using StoreError = attune::Error;

struct OpenOptions {
    std::filesystem::path path;
    // Required unless the file is plaintext. A view: the caller owns the
    // secret (services::KeyMaterial) and it is read only during open().
    std::optional<std::string_view> passphrase;
    bool create_if_missing = false;
    bool allow_unencrypted = false;  // create without encryption (explicit user choice)
    bool read_only = false;
    // A second connection for a worker thread of this process, which already
    // holds the writer lock through its main connection: it takes no lock of
    // its own (SQLite's own locking still orders the two connections' writes).
    // The owner closes it before the main connection.
    bool worker_of_this_process = false;
};

class Database {
public:
    static constexpr int kSchemaVersion = 15;  // = migrations().size()

    // Throws StoreError. Never modifies the file when the passphrase is wrong.
    static std::unique_ptr<Database> open(const OpenOptions& options);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const std::filesystem::path& path() const;
    bool encrypted() const;
    bool read_only() const;
    int schema_version() const;
    std::string cipher_version() const;

    // Who is using Attune: every write is attributed to this person in the audit log.
    void set_actor(const Person& person);
    const Person& actor() const;

    // Signs each audit row this connection writes in its actor's name: given
    // the row's hash and the actor's uuid, returns the actor's Ed25519
    // signature (hex) over core/practice_trust.h's canonical_audit_row. A
    // practice without personal keys has none, and its rows are unsigned.
    using AuditSigner = std::function<std::string(const std::string& row_hash, const std::string& actor_uuid)>;
    void set_audit_signer(AuditSigner signer);

    // Bumped on every committed write through this connection; views refresh
    // their in-memory state when it changes instead of querying every frame.
    std::uint64_t data_version() const;

    // Ends any read a cached statement left open on a row, so that the next
    // read sees what other connections (the caseload worker) have committed
    // since; an open read also holds the WAL back from being checkpointed.
    void end_open_reads();

    struct Impl;
    Impl& impl() { return *impl_; }

private:
    explicit Database(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// True when the file starts with the plaintext SQLite header.
bool is_plaintext_sqlite(const std::filesystem::path& path);

using attune::now_local_hhmm;
using attune::now_utc_iso;
using attune::today_local_iso;

}  // namespace attune::store
