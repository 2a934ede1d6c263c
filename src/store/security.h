// security.h: the passphrase's life cycle and checking a database file on its own.
//
// The passphrase only ever travels through memory into SQLCipher's key API
// (sqlite3_key / sqlite3_rekey / a bound ATTACH parameter): it is never put in
// SQL text, a file, a log line or the audit trail. SQLCipher 4's defaults are
// kept (PBKDF2-HMAC-SHA512, 256,000 iterations, per-page HMAC).
#pragma once

#include "store/database.h"

#include <filesystem>
#include <string>

namespace attune::store {

// Re-encrypts every page under `new_passphrase` (sqlite3_rekey) and records a
// "rekey" audit row (which says only that the passphrase changed). Throws
// StoreError: ReadOnly for a read-only connection, Invalid for an empty
// passphrase or an unencrypted database (use encrypt_plaintext_database).
void change_passphrase(Database& db, std::string_view new_passphrase);

// Turns a plaintext Attune database into an encrypted one in place: exports it
// into a new encrypted file next to it, verifies that file, then renames it
// over the original (after fsync) and zeroes the old plaintext file's bytes
// before letting go of it; the old -wal/-shm are removed. Refuses while another
// Attune holds the database (Kind::Locked). The result is audited ("encrypt")
// in the name of `actor_name`.
void encrypt_plaintext_database(const std::filesystem::path& path, std::string_view passphrase,
                                const std::string& actor_name = "attune");

// Opens `path` read-only on its own (with `passphrase` unless it is plaintext),
// and checks that it is an Attune database this version can read and that
// PRAGMA integrity_check says "ok". Never writes to the file. Throws StoreError
// with a plain message (WrongPassphrase, NotAttune, NewerSchema or Io).
void verify_database_file(const std::filesystem::path& path, std::string_view passphrase);

// SQLCipher's key-derivation iteration count for this connection (PRAGMA kdf_iter).
int kdf_iterations(Database& db);

// [SECTION] File helpers shared by security.cpp and backup.cpp (private to src/store)

// fsyncs a file or a folder; throws StoreError(Io) naming what failed.
void fsync_path(const std::filesystem::path& path);
// rename(2) that throws StoreError(Io); then fsyncs the folder so the new name is durable.
void durable_rename(const std::filesystem::path& from, const std::filesystem::path& to);
// Takes the same advisory writer lock Database::open takes; returns its fd
// (close it to release). Throws StoreError(Locked) when another Attune holds it.
int lock_for_exclusive_use(const std::filesystem::path& db_path);
// Local time as YYYYMMDD-HHMMSS, for file names.
std::string local_timestamp_for_files();

}  // namespace attune::store
