// records.h: plain records the store hands up through the services to the
// window and the command line: the caseload's rows, the audit trail, health
// checks, backups, signatures and comments, bundle counts, live logging's
// outcomes. No behaviour beyond small helpers; no I/O.
#pragma once

#include "core/model.h"

#include <cstdint>
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace attune {

// [SECTION] The caseload
struct CaseSummary {
    Case info;
    int sessions = 0;
    std::string last_session_date;  // empty when none
    std::optional<int> eft_stage;   // of the latest session that has one
    bool has_running_session = false;
};

// [SECTION] The audit trail
struct AuditEntry {
    std::int64_t id = 0;
    std::string at;         // ISO 8601 UTC
    std::string actor;      // person's name
    std::string action;     // create, update, delete, export, sign, unlock, unlock_failed, ...
    std::string entity;     // case, session, observation, note, ...
    std::string entity_id;  // uuid or id of the entity
    std::string detail;     // what changed, in words or compact JSON
    std::string prev_hash;
    std::string hash;
    std::string actor_uuid;  // empty in rows written before migration 4
    std::string signature;   // the actor's Ed25519 signature (hex); empty when unsigned
};

struct AuditFilter {
    std::string action;  // empty = any
    std::string entity;  // empty = any
    std::string actor;   // empty = any
    int limit = 1000;
    std::string from;  // YYYY-MM-DD, inclusive; empty = from the start
    std::string to;    // YYYY-MM-DD, inclusive; empty = up to now
    std::string text;  // found in the detail or the entity id, ignoring case; empty = any

    // The newest `limit` rows of one action (and record kind).
    static AuditFilter of_action(std::string action, int limit = 1000, std::string entity = {}) {
        AuditFilter filter;
        filter.action = std::move(action);
        filter.entity = std::move(entity);
        filter.limit = limit;
        return filter;
    }
};

struct AuditVerification {
    bool ok = true;
    std::int64_t rows = 0;
    std::optional<std::int64_t> first_broken_id;
    std::string message;  // plain words, e.g. "row 17 was changed after it was written"
};

// [SECTION] Health and backups
struct HealthReport {
    bool integrity_ok = false;
    std::vector<std::string> integrity_messages;  // "ok", or what SQLite found
    int foreign_key_problems = 0;
    AuditVerification audit;
    int unpaired_states_in_ended_sessions = 0;  // state events of ended sessions with no stop
    std::int64_t people = 0, cases = 0, sessions = 0, observations = 0, deleted_observations = 0, audit_rows = 0;
    // "Couple 7, session 3: signed by Maya Lee — changed after signing": every signature that does not verify.
    std::vector<std::string> signature_problems;
    std::int64_t signatures_verified = 0;
    // Statements of the practice's log of keys and roles that do not verify.
    std::vector<std::string> trust_problems;
    // The audit chain against the last checkpoint seen outside the database
    // ("... was rolled back ..."), or a checkpoint that cannot be trusted.
    std::vector<std::string> checkpoint_problems;
    bool ok() const {
        return integrity_ok && foreign_key_problems == 0 && audit.ok && unpaired_states_in_ended_sessions == 0 &&
               signature_problems.empty() && trust_problems.empty() && checkpoint_problems.empty();
    }
};

struct BackupResult {
    std::filesystem::path file;                  // the new, verified backup
    std::uintmax_t bytes = 0;
    std::vector<std::filesystem::path> removed;  // older backups rotated out
    // What the backup leaves out: the recordings (backups copy the database
    // only); empty when the practice has none. Set by the services.
    std::string media_note;
    // How far the backup's own audit chain reaches (read from the backup file
    // itself): what the checkpoint in its metadata records.
    std::int64_t audit_rows = 0;
    std::string audit_head;
};

struct RestoreResult {
    std::filesystem::path safety_copy;  // what was replaced (empty when db_path did not exist)
    // The restored practice's audit chain after the restore's own row.
    std::int64_t audit_rows = 0;
    std::string audit_head;
    std::string lost;  // what the replaced file had that the backup has not (as its audit row says), or empty
};

// [SECTION] Signatures, addenda and review comments
enum class SignatureRole { Sign, Cosign };
std::string_view to_string(SignatureRole role);  // "sign","cosign"

struct Signature {
    RowId id = 0;
    RowId session_id = 0;
    RowId signer_id = 0;
    std::string signer_name;
    SignatureRole role = SignatureRole::Sign;
    std::string signed_at;    // ISO 8601 UTC
    std::string note_sha256;  // hex, of the note as signed
    std::string signer_uuid;
    std::string digest;       // hex SHA-256 of the session's canonical bytes (core/session_digest.h); empty: signed by an Attune before signatures were cryptographic
    std::string signature;    // hex Ed25519 over the digest's 32 bytes
    std::vector<RowId> layers;  // raters whose coding the signature covers
    // Imported from a bundle: the name it was signed under when the signer is
    // recorded here under another (empty: signer_name), and the public key (hex)
    // the bundle said signed it (empty for signatures made here).
    std::string signed_name;
    std::string signer_key;
    const std::string& name_as_signed() const { return signed_name.empty() ? signer_name : signed_name; }
};

struct Addendum {
    RowId id = 0;
    RowId session_id = 0;
    RowId author_id = 0;
    std::string author_name;
    std::string created_at;  // ISO 8601 UTC
    std::string text;
};

// A comment pinned to a moment of a session, e.g. by a supervisor reviewing it.
struct ReviewComment {
    RowId id = 0;
    RowId session_id = 0;
    RowId author_id = 0;
    std::string author_name;
    double t = 0;  // session-clock seconds
    std::string text;
    std::string created_at;  // ISO 8601 UTC
};

// [SECTION] Case bundles
struct BundleSelection {
    std::string case_label;      // one case, or
    std::string clinician_name;  // every case of this clinician (exactly one of the two)
    bool include_private = false;  // private process notes travel only when true
    bool every_case = false;       // instead of a case or a clinician: every case here, none too (the server's push)
    // Only rows changed (or signed, or written) at or after this ISO 8601 time;
    // empty: all. The server's push sends what changed since the last sync.
    std::string changed_since = {};
};

// A case shared with a person, or a session given to a coder, named by
// uuids: how they travel between a practice file and its practice server.
struct AccessRow {
    std::string case_uuid;
    std::string session_uuid;  // empty: the case is shared with the person
    std::string person_uuid;   // who it is shared with, or the coder
    bool operator==(const AccessRow& other) const = default;
};

struct BundleCounts {
    int cases = 0;
    int sessions = 0;
    int observations = 0;
    int progress_notes = 0;
    int process_notes = 0;
    int homework = 0;
    int signatures = 0;  // signatures and co-signatures of progress notes
    int addenda = 0;
    int comments = 0;    // supervisors' comments pinned to moments
    int measures = 0;    // couple-reported measures, and their removals
    int ratings = 0;     // second raters' end-of-session ratings
    int decisions = 0;   // the therapist's confirm or reject of change-event candidates
    int pauses = 0;      // the live clock's pauses
    int recordings = 0;  // recordings' links (identity, length, offset), never their files
    int excerpts = 0;    // named intervals of a recording
    int total() const {
        return cases + sessions + observations + progress_notes + process_notes + homework + signatures + addenda +
               comments + measures + ratings + decisions + pauses + recordings + excerpts;
    }
    BundleCounts& operator+=(const BundleCounts& other);
};

// "1 cases, 3 sessions, ... 1 change-event decisions, 2 pauses, 1 recordings, 0 excerpts": the
// counts in words, for the command line and the bundle dialogs alike.
std::string counts_text(const BundleCounts& counts);

struct BundleImportReport {
    BundleCounts in_bundle;  // rows the bundle holds
    BundleCounts created;
    BundleCounts updated;
    std::vector<std::string> conflicts;  // one sentence per row; this database's version was kept
    BundleCounts conflicted;             // the same conflicts, per kind of row
    // People the bundle names, and those recorded here because of it (with the
    // least role: roles are never taken from a bundle, and a person already
    // here is never changed by an import).
    int people_in_bundle = 0;
    int people_created = 0;
    // A preview (`bundle import --dry-run`, the window's import before its
    // Confirm): what the import would do; nothing was written.
    bool dry_run = false;
    // Who signed the bundle (its sender), their key's fingerprint, and whether
    // this practice knows that key for them (certified here, or imported).
    std::string sender_name;
    std::string sender_fingerprint;
    bool sender_known = false;
    // A bundle sealed to people's keys: whom it was sealed to (names as the
    // sender wrote them); empty for a bundle opened with a passphrase.
    std::vector<std::string> sealed_to;
    // Bundle rows already here as they are (neither created, updated nor in conflict).
    int unchanged() const {
        const int rest = in_bundle.total() - created.total() - updated.total() - static_cast<int>(conflicts.size());
        return rest > 0 ? rest : 0;
    }
};

// A bundle imported in parts (store::split_bundle): adds one part's report
// to `whole` (its counts, conflicts and the people it created). The `first`
// part's report starts `whole`; people are in every part, so the people the
// bundle names are counted from the first part only.
void add_import_part(BundleImportReport& whole, const BundleImportReport& part, bool first);

// What an import does (or, previewed, would do) to one kind of record.
struct BundleChange {
    std::string kind;  // "cases", "sessions", "observations", "progress notes", "private notes", "people"
    int added = 0;
    int changed = 0;
    int unchanged = 0;   // already here as the bundle has it
    int conflicts = 0;   // differs, but this database's version is kept
};
// Cases, sessions, observations, progress notes, private notes, measures, second raters' ratings,
// change-event decisions and people, in that order.
std::vector<BundleChange> bundle_changes(const BundleImportReport& report);
// "cases: 1 new, 0 changed, 2 unchanged" (", 1 conflict kept as here" when there are conflicts).
std::string change_text(const BundleChange& change);

// [SECTION] Progress note history (issue 17 item 7)
// One saved version of a session's progress note, oldest first.
struct NoteVersion {
    enum class How { Edited, AcceptedDraft, Imported, BeforeHistory };
    int number = 0;        // 1 = the oldest kept
    std::string saved_at;  // UTC ISO 8601
    std::string author;    // who saved it; empty when not recorded (BeforeHistory)
    How how = How::Edited;
    ProgressNote note;
};
std::string_view to_string(NoteVersion::How how);  // "edited", "accepted_draft", "imported", "before_history"
std::optional<NoteVersion::How> parse_note_version_how(std::string_view text);
// "version 2, 2026-12-02T11:00:00Z, Dr Test (an accepted draft)": one line for lists.
std::string note_version_title(const NoteVersion& version);

// [SECTION] Live logging
struct LogOutcome {
    enum class Status { Saved, Pending } status = Status::Saved;
    enum class Action { Logged, StateStarted, StateStopped } action = Action::Logged;
    Observation observation;  // as saved (with id) or as pending (id 0)
    std::string error;        // why it is pending
};

// A press not written yet. `observation` is what will be stored: for a stop, the
// running state with its stop time.
struct PendingPress {
    enum class Intent {
        Add,        // a point, or a state start (the uuid guards against a double write)
        Stop,       // stop the running state `observation.id` at `*observation.stop`
        Unresolved  // a state press made while the database could not be read: start or stop
                    // is decided when it is written, in order
    } intent = Intent::Add;
    Observation observation;
};

}  // namespace attune
