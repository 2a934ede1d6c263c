// bundle.h: case bundles, how a supervisor on another machine receives a
// supervisee's cases. A bundle is a small SQLCipher database (SQLCipher's
// default settings) with its own passphrase, holding the selected cases with
// their participants and clinician, sessions, every rater's observations (with
// rater names), ratings, progress notes, homework and, only when asked for,
// the private process notes. Rows refer to each other by uuid, never by row id.
//
// Import merges by uuid in one transaction, audited:
// - a row missing from this database is created (uuids kept);
// - a row present on both sides with the same content is left alone, so
//   importing the same bundle twice changes nothing;
// - a row whose content differs is updated when the bundle's updated_at is
//   newer than this database's (cases, sessions, observations, progress and
//   private notes; the row then carries the bundle's updated_at);
// - otherwise (this database's row changed at the same time or later) it is a
//   conflict: reported, and this database's version is kept.
// Known limit of comparing two timestamps (no per-uuid import history is
// kept, to avoid a schema migration): an edit made here BEFORE a newer edit at
// the source is overwritten rather than reported.
// Homework has no updated_at: a new item is created; a check-off (done) is
// copied only when this database has none yet; two different check-offs are a
// conflict.
// Review comments (format 7) merge by uuid and updated_at like the rows above,
// within their session and by their own author only; a comment taken down at
// the source (its tombstone travels) is taken down here unless it was edited
// here later (a conflict), and a comment taken down here does not come back
// with an older version of it.
// Signatures and addenda (append-only, see bundle_internal.h for how each is
// identified) are created when missing, never changed:
// - a progress note signed here is never changed by an import: a bundle
//   version that differs is a conflict;
// - a signature is created only when this database's note (after the note
//   merge) is exactly the note that was signed (same SHA-256), and a
//   co-signature only after the signature: otherwise, or when this database
//   has another signature in that role, it is a conflict;
// - an addendum needs the note to be signed here: otherwise a conflict.
// So a note signed at the source arrives signed and locked.
// Couple-reported measures (format 6) merge by uuid and updated_at like the
// rows above; a measure removed at the source (its tombstone travels) is
// removed here unless it changed here later (a conflict). Every measure of the
// bundle must be valid for its instrument and each instrument file of the
// bundle a valid one, or nothing is imported; a file whose id this practice
// uses for another file is a conflict (this practice's is kept).
// A second rater's ratings (by session and rater) and the change-event
// decisions (by session and candidate key), format 8, merge by their time of
// change like the rows above. A rating naming the case's clinician here as a
// second rater is a conflict, not imported (their ratings are the session's
// own); a rating outside 0-10, a decision other than confirmed or rejected,
// or a person the bundle does not name imports nothing.
#pragma once

#include "core/instrument.h"
#include "core/records.h"
#include "store/database.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace attune::store {

using attune::BundleSelection;
using attune::BundleCounts;
using attune::BundleImportReport;
using attune::counts_text;

// The sender's seal on a bundle: who sent it, their public key (hex), and
// their Ed25519 signature (hex, made by the services) over content_sha256, the
// SHA-256 (hex) of every row of the bundle but the signature itself, in a
// fixed order (bundle_seal.cpp). Written into the bundle's info table.
struct BundleSeal {
    std::string sender_uuid;
    std::string sender_name;
    std::string sender_key;
    std::string content_sha256;
    std::string signature;  // empty: the bundle is not signed
    // A bundle sealed to people's keys (formats/sealed_bundle.h): the SHA-256
    // (hex) of the sealed file's header, kept in the signed info table so the
    // header cannot change unseen. Empty for a passphrase bundle.
    std::string recipients_sha256;
};

// A bundle database that travels inside a sealed file (formats/sealed_bundle.h)
// is written to and read from a temporary file: `shown_as` is the file the
// person named, for the audit row and messages; `recipients` their names, for
// the export's audit row.
// `instruments`, on import: the instruments this practice scores with
// (shipped and its own files), against which the bundle's measures are
// checked, and whose ids a bundle's instrument file may not take unless it is
// the same file. None: measures are checked against the bundle's files and
// this practice's stored ones only.
struct BundleEnvelope {
    std::filesystem::path shown_as;
    std::string recipients;
    const InstrumentCatalog* instruments = nullptr;
};
// Given the content hash (hex), returns the signature (hex).
using BundleSigner = std::function<std::string(const std::string& content_sha256)>;
// Given the seal read from a bundle (content_sha256 computed, not read),
// throws to refuse the import before anything is written.
using BundleSealCheck = std::function<void(const BundleSeal& seal)>;

// Writes the bundle to `out` (replacing it; written to a temporary file first
// so a failure never leaves half a bundle) and records an "export" audit row
// with include_private=yes/no. Returns what it holds. Throws StoreError
// (NotFound for an unknown case or clinician, Invalid for an empty passphrase).
// With `sign`, the bundle is sealed by `sender` (uuid, name and key; and
// recipients_sha256 when it is written for a sealed file).
// `bundle_passphrase` may be SQLCipher's raw key syntax x'<64 hex>'.
BundleCounts export_bundle(Database& db, const BundleSelection& selection, const std::filesystem::path& out,
                           std::string_view bundle_passphrase, const BundleSeal& sender = {},
                           const BundleSigner& sign = {}, const BundleEnvelope& envelope = {});

// How many rows an export of every case with `changed_since = since` would
// carry as changed (each by the column it is selected by; pauses, recordings,
// excerpts and homework, which travel whole, by when they were made), plus the
// coder assignments made here and not yet found on the server, and the shares
// and assignments taken back here whose taking-back has not been sent: what
// the window calls changes waiting for the practice server. Private process
// notes never count (they never leave this machine), nor do shares made (the
// push sends them all, each time). Every row when `since` is empty.
std::int64_t count_changed_since(Database& db, const std::string& since);

// Merges the bundle into `db` (see the rules above) and records an "import"
// audit row naming the bundle and the counts, even when nothing changed.
// The bundle's schema is checked first (bundle_internal.h): a view, trigger,
// extra table, index or column is refused naming it, before a row is read.
// Throws StoreError WrongPassphrase for a wrong bundle passphrase (nothing is
// written), NotAttune for a file that is not a bundle, Invalid when a case
// label is already used by a different case here.
// `check` (when given) sees the bundle's seal first and may refuse it.
// With ImportMode::Preview the merge runs and is rolled back: the report
// (dry_run set) says what an import would create, change and leave; nothing is
// written, no audit row either.
// Each row created or changed gets its own audit row ("create"/"update", its
// kind and uuid, "from bundle NAME"), then the import's row with the counts.
enum class ImportMode { Import, Preview };
// `changed_since` (ISO 8601 UTC; the practice server's sync passes the time of
// the last sync): a row the bundle updates that was ALSO changed here after
// that time is reported as a conflict too (the newer version still wins).
BundleImportReport import_bundle(Database& db, const std::filesystem::path& from, std::string_view bundle_passphrase,
                                 const BundleSealCheck& check = {}, const BundleEnvelope& envelope = {},
                                 ImportMode mode = ImportMode::Import, const std::string& changed_since = "");

// A bundle of more than `observations_per_part` observations as parts that
// import one after the other, each in its own short transaction, to the same
// result as the whole (the practice server's pull: a merge holds the file's
// write lock, which the window's logging waits for). Parts are written beside
// `from` as FROM.part1, FROM.part2, ...: the first holds every row but the
// observations, signatures and addenda; then the observations in their order,
// `observations_per_part` a part; the last the signatures and addenda. People
// and schemes are in every part. Returns {from} itself when it holds no more
// observations than that. Throws StoreError when a file cannot be written.
std::vector<std::filesystem::path> split_bundle(const std::filesystem::path& from, std::string_view key,
                                                int observations_per_part);

}  // namespace attune::store
