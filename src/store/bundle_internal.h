// bundle_internal.h: private to src/store/bundle*.cpp. The bundle file's
// tables, and attaching a bundle to a database connection.
#pragma once

#include "store/database.h"

#include <SQLiteCpp/SQLiteCpp.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace attune::store::bundle_detail {

constexpr const char* kFormat = "attune-bundle";
// 2: signatures, addenda and review comments travel too.
// 3: signatures travel with what verifies them (digest, Ed25519 signature,
// signer uuid and public key, the coding layers covered). Only bundles of this
// exact version import: an earlier one's signatures are by name only.
// 4: each partner's cycle position (pursuer, withdrawer) travels with the case.
// 5: the case's supervisor travels with it (by name; '' for none), so that a
// supervisor's copy knows whose cases it supervises (the practice server's
// pull writes bundles too, issue 21).
// 6: couple-reported measures travel, with the practice's own instrument files
// they were scored with and the measures removed since (by uuid).
// 7: a review comment travels by its uuid with its updated_at, so that an
// edit replaces the version it edited; comments taken down travel (by uuid).
// 8: a second rater's end-of-session ratings travel (by session and rater),
// and the therapist's confirm or reject of each change-event candidate (by
// session and candidate key), each with the time it was last given.
// 9: the live clock's closed pauses travel (by uuid), so that a recording
// lines up with the session's coding in every copy.
// 10: a recording's link travels (by uuid): what identifies the file (its
// SHA-256, length, size and name) and its offset, never the file or where it
// lies; and its excerpts (by uuid), each with the name of who marked it.
constexpr int kFormatVersion = 10;

// Everything refers by uuid (cases, sessions, observations, homework) or by
// name (people, schemes), so a bundle means the same in any database.
constexpr const char* kBundleSchema = R"SQL(
CREATE TABLE info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE people (uuid TEXT NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL);
CREATE TABLE schemes (name TEXT NOT NULL, version INTEGER NOT NULL, content TEXT NOT NULL);
CREATE TABLE cases (
    uuid TEXT PRIMARY KEY, label TEXT NOT NULL, clinician_name TEXT NOT NULL, start_date TEXT NOT NULL,
    status TEXT NOT NULL, goals TEXT NOT NULL, scheme_name TEXT NOT NULL, scheme_version INTEGER NOT NULL,
    a_name TEXT NOT NULL, a_style TEXT NOT NULL, b_name TEXT NOT NULL, b_style TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, a_cycle TEXT NOT NULL, b_cycle TEXT NOT NULL,
    supervisor_name TEXT NOT NULL);
CREATE TABLE sessions (
    uuid TEXT PRIMARY KEY, case_uuid TEXT NOT NULL, number INTEGER NOT NULL, date TEXT NOT NULL,
    start_time TEXT NOT NULL, state TEXT NOT NULL, active_seconds REAL NOT NULL, eft_stage INTEGER,
    eft_step INTEGER, attunement_a INTEGER, attunement_b INTEGER, safety INTEGER, scheme_name TEXT NOT NULL,
    scheme_version INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, ended_at TEXT);
CREATE TABLE observations (
    uuid TEXT PRIMARY KEY, session_uuid TEXT NOT NULL, rater_name TEXT NOT NULL, t REAL NOT NULL, stop REAL,
    kind TEXT NOT NULL, who TEXT NOT NULL, code_id TEXT NOT NULL, intensity INTEGER, comment TEXT NOT NULL,
    deleted INTEGER NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE progress_notes (
    session_uuid TEXT PRIMARY KEY, data TEXT NOT NULL, assessment TEXT NOT NULL, plan TEXT NOT NULL,
    updated_at TEXT NOT NULL);
CREATE TABLE process_notes (session_uuid TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE homework (
    uuid TEXT PRIMARY KEY, case_uuid TEXT NOT NULL, session_uuid TEXT NOT NULL, description TEXT NOT NULL,
    done INTEGER, created_at TEXT NOT NULL);
CREATE TABLE signatures (
    session_uuid TEXT NOT NULL, signer_name TEXT NOT NULL, role TEXT NOT NULL, signed_at TEXT NOT NULL,
    note_sha256 TEXT NOT NULL, signer_uuid TEXT NOT NULL, digest TEXT NOT NULL, signature TEXT NOT NULL,
    signer_key TEXT NOT NULL, PRIMARY KEY (session_uuid, role));
CREATE TABLE signature_layers (
    session_uuid TEXT NOT NULL, role TEXT NOT NULL, rater_uuid TEXT NOT NULL,
    PRIMARY KEY (session_uuid, role, rater_uuid));
CREATE TABLE addenda (
    session_uuid TEXT NOT NULL, author_name TEXT NOT NULL, created_at TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE review_comments (
    uuid TEXT PRIMARY KEY, session_uuid TEXT NOT NULL, author_name TEXT NOT NULL, t REAL NOT NULL,
    body TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE removed_comments (uuid TEXT PRIMARY KEY, session_uuid TEXT NOT NULL, removed_at TEXT NOT NULL);
CREATE TABLE instruments (id TEXT PRIMARY KEY, content TEXT NOT NULL);
CREATE TABLE measures (
    uuid TEXT PRIMARY KEY, case_uuid TEXT NOT NULL, partner TEXT NOT NULL, instrument_id TEXT NOT NULL,
    date TEXT NOT NULL, session_uuid TEXT, items TEXT, entered_total REAL, entered_by_name TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE removed_measures (uuid TEXT PRIMARY KEY, case_uuid TEXT NOT NULL, removed_at TEXT NOT NULL);
CREATE TABLE session_ratings (
    session_uuid TEXT NOT NULL, rater_name TEXT NOT NULL, attunement_a INTEGER, attunement_b INTEGER,
    safety INTEGER, created_at TEXT NOT NULL, updated_at TEXT NOT NULL, PRIMARY KEY (session_uuid, rater_name));
CREATE TABLE change_event_decisions (
    session_uuid TEXT NOT NULL, candidate_key TEXT NOT NULL, decision TEXT NOT NULL, decided_by_name TEXT NOT NULL,
    decided_at TEXT NOT NULL, PRIMARY KEY (session_uuid, candidate_key));
CREATE TABLE session_pauses (
    uuid TEXT PRIMARY KEY, session_uuid TEXT NOT NULL, session_seconds REAL NOT NULL, wall_seconds REAL NOT NULL,
    began_at REAL, origin TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE recordings (
    uuid TEXT PRIMARY KEY, session_uuid TEXT NOT NULL, sha256 TEXT NOT NULL, duration_seconds REAL NOT NULL,
    has_video INTEGER NOT NULL, offset_seconds REAL NOT NULL, original_name TEXT NOT NULL, bytes INTEGER NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE excerpts (
    uuid TEXT PRIMARY KEY, recording_uuid TEXT NOT NULL, name TEXT NOT NULL, stage INTEGER NOT NULL,
    media_start REAL NOT NULL, media_stop REAL NOT NULL, created_by_name TEXT NOT NULL, created_at TEXT NOT NULL);
)SQL";

// Signatures and addenda have no uuid in the practice database (migration 3):
// they are append-only, so each is identified by what cannot change about it:
// a signature by (session uuid, role), an addendum by (session uuid, author,
// created_at, text). A review comment can be edited and taken down by its
// author: it has a uuid (migration 13, format 7).

// Writes a new, empty bundle file at `path` (SQLCipher, key `passphrase`):
// the tables above, and its info rows: format, format_version, then `info`.
using BundleInfo = std::vector<std::pair<std::string, std::string>>;
void create_empty_bundle(const std::filesystem::path& path, std::string_view passphrase, const BundleInfo& info);

// SHA-256 (hex) of every row of the attached bundle's tables, in a fixed
// order, leaving out the sender's signature row (info key 'sender_signature').
std::string bundle_content_sha256(SQLite::Database& sql);

// The bundle's schema against the one Attune writes (bundle_schema.cpp), on a
// connection where it is attached as `bundle`. check_bundle_objects reads
// nothing but the schema: no view, trigger, extra table or index of its own,
// and the info table exactly as written. check_bundle_tables, once the format
// version is known to be this Attune's: every table exactly as written. Both
// throw StoreError Invalid naming what was unexpected; `file` is its name.
void check_bundle_objects(SQLite::Database& sql, const std::string& file);
void check_bundle_tables(SQLite::Database& sql, const std::string& file);

// Attaches the bundle file as schema `bundle` with its own key for the life
// of the object, proving the key with a first read, on a connection whose
// trusted_schema is OFF while the bundle is attached, and checks its schema
// before any of its rows is read (above). ATTACH cannot run inside
// a transaction: create this before write_transaction. Messages name `shown`
// (the file the person named; empty: `path`).
class AttachedBundle {
public:
    AttachedBundle(Database& db, const std::filesystem::path& path, std::string_view passphrase,
                   const std::filesystem::path& shown = {});
    ~AttachedBundle();
    AttachedBundle(const AttachedBundle&) = delete;
    AttachedBundle& operator=(const AttachedBundle&) = delete;

private:
    Database& db_;
    int trusted_schema_ = 1;  // the connection's setting before, put back on detach
};

}  // namespace attune::store::bundle_detail
