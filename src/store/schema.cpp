#include "store/schema.h"

namespace attune::store {
namespace {

// [SECTION] Migration 1: the core objects of DOMAIN.md.
// Times are ISO 8601 text (UTC for *_at, local dates for sessions).
// Rows that travel between databases carry a uuid.
constexpr std::string_view kMigration1 = R"SQL(
CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(name) BETWEEN 1 AND 200),
    role        TEXT NOT NULL DEFAULT 'clinician' CHECK (role IN ('clinician', 'supervisor', 'coder')),
    created_at  TEXT NOT NULL
);

-- A coding scheme version; `content` is the scheme file (JSON) as loaded, so that
-- old sessions keep their meaning when a user later edits codes.
CREATE TABLE schemes (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    content     TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (name, version)
);

CREATE TABLE cases (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE,
    label         TEXT NOT NULL UNIQUE COLLATE NOCASE CHECK (length(label) BETWEEN 1 AND 100),
    clinician_id  INTEGER NOT NULL REFERENCES people(id),
    start_date    TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
    goals         TEXT NOT NULL DEFAULT '' CHECK (length(goals) <= 20000),
    scheme_id     INTEGER NOT NULL REFERENCES schemes(id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);

CREATE TABLE participants (
    case_id           INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    role              TEXT NOT NULL CHECK (role IN ('A', 'B')),
    display_name      TEXT NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    attachment_style  TEXT NOT NULL DEFAULT ''
        CHECK (attachment_style IN ('', 'secure', 'anxious', 'avoidant', 'disorganized', 'unclear')),
    PRIMARY KEY (case_id, role)
);

-- active_seconds: session-clock seconds banked at the last pause or end;
-- resumed_at: Unix time the clock last started running (state 'running').
CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    case_id         INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    number          INTEGER NOT NULL CHECK (number >= 1),
    date            TEXT NOT NULL,
    start_time      TEXT NOT NULL DEFAULT '',
    state           TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'paused', 'ended')),
    active_seconds  REAL NOT NULL DEFAULT 0 CHECK (active_seconds >= 0),
    resumed_at      REAL,
    eft_stage       INTEGER CHECK (eft_stage BETWEEN 1 AND 3),
    eft_step        INTEGER CHECK (eft_step BETWEEN 1 AND 9),
    attunement_a    INTEGER CHECK (attunement_a BETWEEN 0 AND 10),
    attunement_b    INTEGER CHECK (attunement_b BETWEEN 0 AND 10),
    safety          INTEGER CHECK (safety BETWEEN 0 AND 10),
    scheme_id       INTEGER NOT NULL REFERENCES schemes(id),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    ended_at        TEXT,
    UNIQUE (case_id, number)
);
CREATE INDEX sessions_by_case ON sessions(case_id, date);

-- t and stop: session-clock seconds. A state event has a stop once it ends;
-- a running state event has stop NULL and kind 'state'.
CREATE TABLE observations (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    rater_id    INTEGER NOT NULL REFERENCES people(id),
    t           REAL NOT NULL CHECK (t >= 0),
    stop        REAL CHECK (stop IS NULL OR stop >= t),
    kind        TEXT NOT NULL DEFAULT 'point' CHECK (kind IN ('point', 'state')),
    who         TEXT NOT NULL CHECK (who IN ('A', 'B', 'both', 'therapist')),
    code_id     TEXT NOT NULL CHECK (length(code_id) BETWEEN 1 AND 64),
    intensity   INTEGER CHECK (intensity BETWEEN 1 AND 3),
    comment     TEXT NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    deleted     INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX observations_by_session ON observations(session_id, rater_id, t);

-- DAP progress note, one per session.
CREATE TABLE progress_notes (
    session_id  INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    data        TEXT NOT NULL DEFAULT '' CHECK (length(data) <= 50000),
    assessment  TEXT NOT NULL DEFAULT '' CHECK (length(assessment) <= 50000),
    plan        TEXT NOT NULL DEFAULT '' CHECK (length(plan) <= 50000),
    updated_at  TEXT NOT NULL
);

-- Private process notes (psychotherapy notes): kept apart on purpose, never
-- exported unless asked for explicitly.
CREATE TABLE process_notes (
    session_id  INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    body        TEXT NOT NULL DEFAULT '' CHECK (length(body) <= 50000),
    updated_at  TEXT NOT NULL
);

-- Rituals of connection agreed in one session, checked off at a later one.
CREATE TABLE homework (
    id                  INTEGER PRIMARY KEY,
    uuid                TEXT NOT NULL UNIQUE,
    case_id             INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    agreed_session_id   INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    description         TEXT NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
    done                INTEGER CHECK (done IN (0, 1)),
    created_at          TEXT NOT NULL
);

-- Append-only: each row's hash covers its content and the previous row's hash.
CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
)SQL";

// [SECTION] Migration 2: a cache of computed per-session metrics, so that a
// caseload of hundreds of cases opens without recomputing every session.
// A row is valid only for the settings and metrics version it was computed
// with; the triggers drop a session's row whenever anything its metrics are
// computed from changes, so a stale row can never be read back.
constexpr std::string_view kMigration2 = R"SQL(
CREATE TABLE metrics_cache (
    session_id       INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    settings_json    TEXT NOT NULL,
    metrics_version  INTEGER NOT NULL,
    computed_at      TEXT NOT NULL,
    content          TEXT NOT NULL
);

CREATE TRIGGER metrics_cache_observation_insert AFTER INSERT ON observations
BEGIN DELETE FROM metrics_cache WHERE session_id = NEW.session_id; END;
-- An edit may move an observation between sessions (imports): drop both rows.
CREATE TRIGGER metrics_cache_observation_update AFTER UPDATE ON observations
BEGIN DELETE FROM metrics_cache WHERE session_id IN (OLD.session_id, NEW.session_id); END;
CREATE TRIGGER metrics_cache_observation_delete AFTER DELETE ON observations
BEGIN DELETE FROM metrics_cache WHERE session_id = OLD.session_id; END;
-- D (active minutes) and the coding scheme feed every metric.
CREATE TRIGGER metrics_cache_session_update AFTER UPDATE OF active_seconds, scheme_id ON sessions
WHEN OLD.active_seconds IS NOT NEW.active_seconds OR OLD.scheme_id IS NOT NEW.scheme_id
BEGIN DELETE FROM metrics_cache WHERE session_id = NEW.id; END;
-- Metrics count the case clinician's layer: another clinician means another layer.
CREATE TRIGGER metrics_cache_case_clinician AFTER UPDATE OF clinician_id ON cases
WHEN OLD.clinician_id IS NOT NEW.clinician_id
BEGIN DELETE FROM metrics_cache WHERE session_id IN (SELECT id FROM sessions WHERE case_id = NEW.id); END;
)SQL";


// [SECTION] Migration 3: signed notes, addenda and supervisors' pinned comments.
// A signature freezes the progress note: the triggers refuse any change to a
// signed session's note, however it is attempted, so the lock cannot be
// bypassed by a code path that forgets to check. After signing, only
// addenda can be added; addenda, signatures and comments are append-only.
constexpr std::string_view kMigration3 = R"SQL(
-- role 'sign': the therapist; 'cosign': a supervisor, only after a 'sign'.
-- note_sha256: SHA-256 (hex) of the note content at signing.
CREATE TABLE signatures (
    id           INTEGER PRIMARY KEY,
    session_id   INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    signer_id    INTEGER NOT NULL REFERENCES people(id),
    role         TEXT NOT NULL CHECK (role IN ('sign', 'cosign')),
    signed_at    TEXT NOT NULL,
    note_sha256  TEXT NOT NULL,
    UNIQUE (session_id, role)
);
CREATE TRIGGER signatures_cosign_after_sign BEFORE INSERT ON signatures
WHEN NEW.role = 'cosign' AND NOT EXISTS
    (SELECT 1 FROM signatures WHERE session_id = NEW.session_id AND role = 'sign')
BEGIN SELECT RAISE(ABORT, 'the therapist has not signed this note yet'); END;
CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
BEGIN SELECT RAISE(ABORT, 'signatures cannot be changed'); END;
CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = OLD.session_id)
BEGIN SELECT RAISE(ABORT, 'signatures cannot be removed'); END;

-- INSERT OR REPLACE deletes the old row first (with recursive triggers off it
-- fires no DELETE trigger), so inserting over a signed note is refused too.
CREATE TRIGGER progress_notes_signed_insert BEFORE INSERT ON progress_notes
WHEN EXISTS (SELECT 1 FROM signatures WHERE session_id = NEW.session_id)
BEGIN SELECT RAISE(ABORT, 'this note is signed; add an addendum instead'); END;
CREATE TRIGGER progress_notes_signed_update BEFORE UPDATE ON progress_notes
WHEN EXISTS (SELECT 1 FROM signatures WHERE session_id IN (OLD.session_id, NEW.session_id))
BEGIN SELECT RAISE(ABORT, 'this note is signed; add an addendum instead'); END;
-- Removing the whole session (and its note with it) stays possible.
CREATE TRIGGER progress_notes_signed_delete BEFORE DELETE ON progress_notes
WHEN EXISTS (SELECT 1 FROM signatures WHERE session_id = OLD.session_id)
 AND EXISTS (SELECT 1 FROM sessions WHERE id = OLD.session_id)
BEGIN SELECT RAISE(ABORT, 'this note is signed; add an addendum instead'); END;

CREATE TABLE addenda (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    author_id   INTEGER NOT NULL REFERENCES people(id),
    created_at  TEXT NOT NULL,
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 20000)
);
CREATE INDEX addenda_by_session ON addenda(session_id, id);
CREATE TRIGGER addenda_only_when_signed BEFORE INSERT ON addenda
WHEN NOT EXISTS (SELECT 1 FROM signatures WHERE session_id = NEW.session_id)
BEGIN SELECT RAISE(ABORT, 'an addendum is for a signed note; edit the note itself instead'); END;
CREATE TRIGGER addenda_no_update BEFORE UPDATE ON addenda
BEGIN SELECT RAISE(ABORT, 'addenda are append-only'); END;
CREATE TRIGGER addenda_no_delete BEFORE DELETE ON addenda
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = OLD.session_id)
BEGIN SELECT RAISE(ABORT, 'addenda are append-only'); END;

-- t: session-clock seconds of the moment the comment is about.
CREATE TABLE review_comments (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    author_id   INTEGER NOT NULL REFERENCES people(id),
    t           REAL NOT NULL CHECK (t >= 0),
    body        TEXT NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    created_at  TEXT NOT NULL
);
CREATE INDEX review_comments_by_session ON review_comments(session_id, t);
)SQL";

// [SECTION] Migration 4: people who can be told apart (issue 16).
// - people.public_key: the person's Ed25519 key (hex) as an administrator
//   certified it; practice_log holds the certifications and role grants,
//   each signed by an administrator (core/practice_trust.h), append-only;
//   practice_identity is the trust root fixed at the practice's creation.
// - A case names its supervisor (only they co-sign) and may be shared with
//   other clinicians; a coder sees only the sessions assigned to them.
// - Each audit row names its actor's uuid and carries the actor's Ed25519
//   signature over its hash (core/practice_trust.h, canonical_audit_row):
//   holding the data key is not enough to write a row in someone else's name.
// - A signature signs a digest of the whole session (core/session_digest.h)
//   and seals it: the layers signed (signature_layers: the raters whose
//   coding the digest covers) can no longer change, nor can the ratings,
//   stage, step or clock. Another rater's layer (coding for agreement) may
//   still be added; it is not part of the signed record.
constexpr std::string_view kMigration4 = R"SQL(
ALTER TABLE people ADD COLUMN public_key TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN actor_uuid TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN signature TEXT NOT NULL DEFAULT '';

CREATE TABLE practice_identity (
    id                         INTEGER PRIMARY KEY CHECK (id = 1),
    practice_uuid              TEXT NOT NULL,
    founding_admin_uuid        TEXT NOT NULL,
    founding_admin_public_key  TEXT NOT NULL,
    created_at                 TEXT NOT NULL
);
CREATE TRIGGER practice_identity_no_update BEFORE UPDATE ON practice_identity
BEGIN SELECT RAISE(ABORT, 'the practice''s identity cannot be changed'); END;
CREATE TRIGGER practice_identity_no_delete BEFORE DELETE ON practice_identity
BEGIN SELECT RAISE(ABORT, 'the practice''s identity cannot be changed'); END;

-- kind 'key': person_uuid's public_key (hex) certified by signer_uuid;
-- 'grant' / 'revoke': role given to or taken from person_uuid by signer_uuid.
CREATE TABLE practice_log (
    sequence     INTEGER PRIMARY KEY CHECK (sequence >= 1),
    kind         TEXT NOT NULL CHECK (kind IN ('key', 'grant', 'revoke')),
    role         TEXT NOT NULL DEFAULT ''
        CHECK (role IN ('', 'clinician', 'supervisor', 'coder', 'administrator')),
    person_uuid  TEXT NOT NULL,
    person_name  TEXT NOT NULL DEFAULT '',
    public_key   TEXT NOT NULL DEFAULT '',
    signer_uuid  TEXT NOT NULL,
    at           TEXT NOT NULL,
    signature    TEXT NOT NULL
);
CREATE TRIGGER practice_log_no_update BEFORE UPDATE ON practice_log
BEGIN SELECT RAISE(ABORT, 'the practice''s log of keys and roles is append-only'); END;
CREATE TRIGGER practice_log_no_delete BEFORE DELETE ON practice_log
BEGIN SELECT RAISE(ABORT, 'the practice''s log of keys and roles is append-only'); END;

ALTER TABLE cases ADD COLUMN supervisor_id INTEGER REFERENCES people(id);
CREATE TABLE case_shares (
    case_id    INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    person_id  INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (case_id, person_id)
);
CREATE TABLE coding_assignments (
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    person_id   INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (session_id, person_id)
);

ALTER TABLE signatures ADD COLUMN digest TEXT NOT NULL DEFAULT '';
ALTER TABLE signatures ADD COLUMN signature TEXT NOT NULL DEFAULT '';
CREATE TABLE signature_layers (
    signature_id  INTEGER NOT NULL REFERENCES signatures(id) ON DELETE CASCADE,
    rater_id      INTEGER NOT NULL REFERENCES people(id),
    PRIMARY KEY (signature_id, rater_id)
);
-- Sessions signed before this version: their layers are the raters who had coded them.
INSERT INTO signature_layers (signature_id, rater_id)
    SELECT DISTINCT s.id, o.rater_id FROM signatures s JOIN observations o ON o.session_id = s.session_id
    WHERE s.role = 'sign' AND o.deleted = 0;

CREATE TRIGGER observations_sealed_insert BEFORE INSERT ON observations
WHEN EXISTS (SELECT 1 FROM signatures s JOIN signature_layers l ON l.signature_id = s.id
             WHERE s.session_id = NEW.session_id AND l.rater_id = NEW.rater_id)
BEGIN SELECT RAISE(ABORT, 'this session is signed: its coding is sealed; add an addendum instead'); END;
CREATE TRIGGER observations_sealed_update BEFORE UPDATE ON observations
WHEN EXISTS (SELECT 1 FROM signatures s JOIN signature_layers l ON l.signature_id = s.id
             WHERE s.session_id IN (OLD.session_id, NEW.session_id) AND l.rater_id IN (OLD.rater_id, NEW.rater_id))
BEGIN SELECT RAISE(ABORT, 'this session is signed: its coding is sealed; add an addendum instead'); END;
CREATE TRIGGER observations_sealed_delete BEFORE DELETE ON observations
WHEN EXISTS (SELECT 1 FROM signatures s JOIN signature_layers l ON l.signature_id = s.id
             WHERE s.session_id = OLD.session_id AND l.rater_id = OLD.rater_id)
 AND EXISTS (SELECT 1 FROM sessions WHERE id = OLD.session_id)
BEGIN SELECT RAISE(ABORT, 'this session is signed: its coding is sealed; add an addendum instead'); END;
CREATE TRIGGER sessions_sealed_update BEFORE UPDATE ON sessions
WHEN EXISTS (SELECT 1 FROM signatures WHERE session_id = OLD.id)
 AND (OLD.attunement_a IS NOT NEW.attunement_a OR OLD.attunement_b IS NOT NEW.attunement_b
      OR OLD.safety IS NOT NEW.safety OR OLD.eft_stage IS NOT NEW.eft_stage OR OLD.eft_step IS NOT NEW.eft_step
      OR OLD.active_seconds IS NOT NEW.active_seconds OR OLD.uuid IS NOT NEW.uuid OR OLD.state IS NOT NEW.state
      OR OLD.date IS NOT NEW.date OR OLD.case_id IS NOT NEW.case_id)
BEGIN SELECT RAISE(ABORT, 'this session is signed: its date, ratings, stage and clock are sealed'); END;
-- Public keys of people of other practices (bundle senders and signers),
-- kept by an administrator after comparing the fingerprint in person.
CREATE TABLE known_keys (
    id             INTEGER PRIMARY KEY,
    person_uuid    TEXT NOT NULL,
    name           TEXT NOT NULL,
    public_key     TEXT NOT NULL,
    practice_uuid  TEXT NOT NULL DEFAULT '',
    imported_at    TEXT NOT NULL,
    UNIQUE (person_uuid, public_key)
);

CREATE TRIGGER signature_layers_no_change BEFORE UPDATE ON signature_layers
BEGIN SELECT RAISE(ABORT, 'signatures cannot be changed'); END;
CREATE TRIGGER signature_layers_no_delete BEFORE DELETE ON signature_layers
WHEN EXISTS (SELECT 1 FROM signatures WHERE id = OLD.signature_id)
BEGIN SELECT RAISE(ABORT, 'signatures cannot be changed'); END;
)SQL";

// [SECTION] Migration 5: couple-reported measures, the instrument files a
// practice adds, the therapist's decisions on change-event candidates and the
// end-of-session ratings of raters other than the case clinician (whose
// ratings stay in `sessions`). DOMAIN.md version 2, issue 20.
constexpr std::string_view kMigration5 = R"SQL(
-- content: the file as added, parsed by the one instrument parser before it is
-- stored. Never changed: measures were scored with it.
CREATE TABLE instruments (
    id          TEXT PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    content     TEXT NOT NULL CHECK (length(content) BETWEEN 1 AND 262144),
    added_by    INTEGER NOT NULL REFERENCES people(id),
    added_at    TEXT NOT NULL
);
CREATE TRIGGER instruments_no_update BEFORE UPDATE ON instruments
BEGIN SELECT RAISE(ABORT, 'an instrument file cannot be changed once added'); END;

-- One administration of an instrument to one partner. items: a JSON list with
-- one entry per item (a score, or null for a missing item); NULL when the
-- total was entered directly (entered_total). date: yyyy-mm-dd.
CREATE TABLE measures (
    id             INTEGER PRIMARY KEY,
    uuid           TEXT NOT NULL UNIQUE,
    case_id        INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    partner        TEXT NOT NULL CHECK (partner IN ('A', 'B')),
    instrument_id  TEXT NOT NULL CHECK (length(instrument_id) BETWEEN 1 AND 64),
    date           TEXT NOT NULL CHECK (length(date) = 10),
    session_id     INTEGER REFERENCES sessions(id) ON DELETE SET NULL,
    items          TEXT CHECK (items IS NULL OR length(items) BETWEEN 2 AND 20000),
    entered_total  REAL,
    entered_by     INTEGER NOT NULL REFERENCES people(id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK ((items IS NULL) <> (entered_total IS NULL))
);
CREATE INDEX measures_by_case ON measures(case_id, date);
CREATE TRIGGER measures_session_of_case_insert BEFORE INSERT ON measures
WHEN NEW.session_id IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM sessions WHERE id = NEW.session_id AND case_id = NEW.case_id)
BEGIN SELECT RAISE(ABORT, 'the session is not one of this case''s sessions'); END;
CREATE TRIGGER measures_session_of_case_update BEFORE UPDATE OF session_id, case_id ON measures
WHEN NEW.session_id IS NOT NULL
 AND NOT EXISTS (SELECT 1 FROM sessions WHERE id = NEW.session_id AND case_id = NEW.case_id)
BEGIN SELECT RAISE(ABORT, 'the session is not one of this case''s sessions'); END;
CREATE TRIGGER instruments_no_delete_in_use BEFORE DELETE ON instruments
WHEN EXISTS (SELECT 1 FROM measures WHERE instrument_id = OLD.id)
BEGIN SELECT RAISE(ABORT, 'measures were scored with this instrument'); END;

-- candidate_key: core's ChangeEventCandidate::key(), stable across recomputation.
CREATE TABLE change_event_decisions (
    session_id     INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    candidate_key  TEXT NOT NULL CHECK (length(candidate_key) BETWEEN 1 AND 200),
    decision       TEXT NOT NULL CHECK (decision IN ('confirmed', 'rejected')),
    decided_by     INTEGER NOT NULL REFERENCES people(id),
    decided_at     TEXT NOT NULL,
    PRIMARY KEY (session_id, candidate_key)
);

-- A second rater's end-of-session ratings; the case clinician's are the session's own.
CREATE TABLE session_ratings (
    session_id    INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    rater_id      INTEGER NOT NULL REFERENCES people(id),
    attunement_a  INTEGER CHECK (attunement_a BETWEEN 0 AND 10),
    attunement_b  INTEGER CHECK (attunement_b BETWEEN 0 AND 10),
    safety        INTEGER CHECK (safety BETWEEN 0 AND 10),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (session_id, rater_id)
);
)SQL";

// [SECTION] Migration 6 (issue 18): which sessions count
// toward trends, and who wrote a note's Assessment.
// not_for_trends: the clinician's reason for leaving a session out of trends
// and flags (a test, an aborted or individual session); NULL = counted by the
// usual rule (ended, at least M active minutes). Not part of the metrics cache:
// it changes which sessions a case's trends use, not what a session's metrics are.
// assessment_source: 'clinician' for the clinician's own text, 'accepted_draft'
// when the clinician accepted Attune's draft as it stands; an edit of the
// Assessment makes it the clinician's again.
constexpr std::string_view kMigration6 = R"SQL(
ALTER TABLE sessions ADD COLUMN not_for_trends TEXT
    CHECK (not_for_trends IS NULL OR length(not_for_trends) BETWEEN 1 AND 500);
ALTER TABLE progress_notes ADD COLUMN assessment_source TEXT NOT NULL DEFAULT 'clinician'
    CHECK (assessment_source IN ('clinician', 'accepted_draft'));
)SQL";

// [SECTION] Migration 7: recordings (DOMAIN.md, "Recordings (version 2)").
// The live clock's pauses, so that a live coding can be lined up with a
// recording that ran straight through; recordings linked to a session,
// identified by their SHA-256; excerpts of them.
constexpr std::string_view kMigrationRecordings = R"SQL(
-- session_seconds: the clock's reading throughout the pause. wall_seconds:
-- its wall-clock length, NULL while the clock is still paused; began_at: Unix
-- seconds the clock stopped (NULL for a pause typed in afterwards).
-- origin 'recovered': Attune found the session running after a crash and
-- stopped the clock at its last saved moment.
CREATE TABLE session_pauses (
    id               INTEGER PRIMARY KEY,
    session_id       INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    session_seconds  REAL NOT NULL CHECK (session_seconds >= 0),
    wall_seconds     REAL CHECK (wall_seconds IS NULL OR wall_seconds >= 0),
    began_at         REAL,
    origin           TEXT NOT NULL CHECK (origin IN ('live', 'recovered', 'entered')),
    created_at       TEXT NOT NULL,
    CHECK (wall_seconds IS NOT NULL OR began_at IS NOT NULL)
);
CREATE INDEX session_pauses_by_session ON session_pauses(session_id, session_seconds);
-- At most one pause of a session is still open.
CREATE UNIQUE INDEX session_pauses_one_open ON session_pauses(session_id) WHERE wall_seconds IS NULL;
-- A signed session's pauses are part of its clock, sealed with it (migration 4).
CREATE TRIGGER session_pauses_sealed_insert BEFORE INSERT ON session_pauses
WHEN EXISTS (SELECT 1 FROM signatures WHERE session_id = NEW.session_id)
BEGIN SELECT RAISE(ABORT, 'this session is signed: its clock is sealed'); END;
CREATE TRIGGER session_pauses_sealed_update BEFORE UPDATE ON session_pauses
WHEN EXISTS (SELECT 1 FROM signatures WHERE session_id IN (OLD.session_id, NEW.session_id))
BEGIN SELECT RAISE(ABORT, 'this session is signed: its clock is sealed'); END;
CREATE TRIGGER session_pauses_sealed_delete BEFORE DELETE ON session_pauses
WHEN EXISTS (SELECT 1 FROM signatures WHERE session_id = OLD.session_id)
 AND EXISTS (SELECT 1 FROM sessions WHERE id = OLD.session_id)
BEGIN SELECT RAISE(ABORT, 'this session is signed: its clock is sealed'); END;

-- One recording per session. storage 'encrypted': `path` is the container's
-- file name in the practice's media folder (<database>.media/); 'in_place':
-- the unencrypted file's absolute path. sha256: of the recording's own bytes.
-- offset_seconds: the media second at which the session clock read 0.
CREATE TABLE recordings (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT NOT NULL UNIQUE,
    session_id        INTEGER NOT NULL UNIQUE REFERENCES sessions(id) ON DELETE CASCADE,
    sha256            TEXT NOT NULL CHECK (length(sha256) = 64),
    duration_seconds  REAL NOT NULL CHECK (duration_seconds >= 0),
    has_video         INTEGER NOT NULL CHECK (has_video IN (0, 1)),
    offset_seconds    REAL NOT NULL DEFAULT 0,
    storage           TEXT NOT NULL CHECK (storage IN ('encrypted', 'in_place')),
    path              TEXT NOT NULL CHECK (length(path) BETWEEN 1 AND 4096),
    original_name     TEXT NOT NULL CHECK (length(original_name) <= 1024),
    bytes             INTEGER NOT NULL CHECK (bytes >= 0),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
);

-- A named media interval [media_start, media_stop) of a recording, with the
-- EFT stage it shows (what a supervisor or a certification review looks at).
CREATE TABLE excerpts (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE,
    recording_id  INTEGER NOT NULL REFERENCES recordings(id) ON DELETE CASCADE,
    name          TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    stage         INTEGER NOT NULL CHECK (stage BETWEEN 1 AND 3),
    media_start   REAL NOT NULL CHECK (media_start >= 0),
    media_stop    REAL NOT NULL CHECK (media_stop > media_start),
    created_by    INTEGER NOT NULL REFERENCES people(id),
    created_at    TEXT NOT NULL
);
CREATE INDEX excerpts_by_recording ON excerpts(recording_id, media_start);
)SQL";

// [SECTION] Migration 8: bundles carry signatures. A signature imported from a bundle keeps the
// name it was signed under (its signer may be recorded here under another name
// when a person of this practice already has theirs) and the public key the
// bundle said signed it (shown as a fingerprint; never trusted).
constexpr std::string_view kMigrationBundleSignatures = R"SQL(
ALTER TABLE signatures ADD COLUMN signed_name TEXT NOT NULL DEFAULT '';
ALTER TABLE signatures ADD COLUMN signer_key TEXT NOT NULL DEFAULT '';
)SQL";

// [SECTION] Migration 9 (issue 17 item 7): every saved version of a progress
// note is kept. A row is written with each save that changes the note (by the
// clinician, an accepted draft, an import), never changed or deleted while its
// session exists. author_id: who saved it; NULL for the version a note had
// when this migration ran (its author was not recorded). how: 'edited',
// 'accepted_draft', 'imported', or 'before_history' for that first version.
constexpr std::string_view kMigrationNoteHistory = R"SQL(
CREATE TABLE progress_note_versions (
    id                 INTEGER PRIMARY KEY,
    session_id         INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    data               TEXT NOT NULL CHECK (length(data) <= 50000),
    assessment         TEXT NOT NULL CHECK (length(assessment) <= 50000),
    plan               TEXT NOT NULL CHECK (length(plan) <= 50000),
    assessment_source  TEXT NOT NULL CHECK (assessment_source IN ('clinician', 'accepted_draft')),
    saved_at           TEXT NOT NULL,
    author_id          INTEGER REFERENCES people(id),
    how                TEXT NOT NULL CHECK (how IN ('edited', 'accepted_draft', 'imported', 'before_history'))
);
CREATE INDEX progress_note_versions_by_session ON progress_note_versions(session_id, id);
CREATE TRIGGER progress_note_versions_no_update BEFORE UPDATE ON progress_note_versions
BEGIN SELECT RAISE(ABORT, 'a saved version of a progress note cannot be changed'); END;
CREATE TRIGGER progress_note_versions_no_delete BEFORE DELETE ON progress_note_versions
WHEN EXISTS (SELECT 1 FROM sessions WHERE id = OLD.session_id)
BEGIN SELECT RAISE(ABORT, 'a saved version of a progress note cannot be deleted'); END;
INSERT INTO progress_note_versions (session_id, data, assessment, plan, assessment_source, saved_at, author_id, how)
SELECT session_id, data, assessment, plan, assessment_source, updated_at, NULL, 'before_history'
FROM progress_notes ORDER BY session_id;
)SQL";

// [SECTION] Migration 10 (issue 18 item 15): each partner's position in the
// couple's negative cycle, as the clinician sees it; '' is not recorded.
constexpr std::string_view kMigrationCyclePositions = R"SQL(
ALTER TABLE participants ADD COLUMN cycle_position TEXT NOT NULL DEFAULT ''
    CHECK (cycle_position IN ('', 'pursuer', 'withdrawer'));
)SQL";

// [SECTION] Migration 11 (issue 21): a share taken back here, kept after the
// share itself is gone so that the next sync takes it back on the practice
// server too (a tombstone). Sharing the case with the person again removes it.
constexpr std::string_view kMigrationWithdrawnShares = R"SQL(
CREATE TABLE withdrawn_shares (
    case_uuid    TEXT NOT NULL,
    person_uuid  TEXT NOT NULL,
    at           TEXT NOT NULL,
    PRIMARY KEY (case_uuid, person_uuid)
);
)SQL";

// [SECTION] Migration 12 (issue 21): a measure removed here, kept so that
// the removal travels (bundles and the practice server) and a copy that
// still has the measure removes it too, unless it changed there later; and a
// coder's assignment taken back here, kept like a share taken back
// (migration 11) until the next sync takes it back on the server too.
constexpr std::string_view kMigrationRemovedMeasures = R"SQL(
CREATE TABLE withdrawn_assignments (
    session_uuid  TEXT NOT NULL,
    person_uuid   TEXT NOT NULL,
    at            TEXT NOT NULL,
    PRIMARY KEY (session_uuid, person_uuid)
);
CREATE TABLE removed_measures (
    uuid        TEXT PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    removed_at  TEXT NOT NULL
);
)SQL";

// [SECTION] Migration 13 (issue 21): a review comment keeps its identity
// through edits (a uuid) and says when it last changed (updated_at), so that
// an edit travels (bundles and the practice server) and replaces the version
// it edited everywhere; a comment taken down is kept as a tombstone so that
// the removal travels too. The comments already here get a uuid every copy
// and the practice server derive alike from what cannot change about them:
// its session, author, creation time and text, and its rank among comments
// equal in those (by moment); attune_sha256_uuid is database.cpp's. The
// server's migration 6 derives the same uuid from the same text.
constexpr std::string_view kMigrationCommentIdentity = R"SQL(
ALTER TABLE review_comments ADD COLUMN uuid TEXT NOT NULL DEFAULT '';
ALTER TABLE review_comments ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
UPDATE review_comments AS r SET updated_at = r.created_at, uuid = k.uuid FROM (
    SELECT c.id, attune_sha256_uuid('attune-comment:' || s.uuid || ':' || p.name || ':' || c.created_at || ':' ||
        c.body || ':' || row_number() OVER (PARTITION BY c.session_id, c.author_id, c.created_at, c.body
                                           ORDER BY c.t, c.id)) AS uuid
    FROM review_comments c JOIN sessions s ON s.id = c.session_id JOIN people p ON p.id = c.author_id) AS k
WHERE k.id = r.id;
CREATE UNIQUE INDEX review_comments_uuid ON review_comments(uuid);
CREATE TABLE removed_comments (
    uuid        TEXT PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    removed_at  TEXT NOT NULL
);
)SQL";

// [SECTION] Migration 14 (issue 21): where a coder assignment stands with
// the practice server. 1: the server holds it (it arrived from there, or was
// seen there after this copy sent it), so a sync takes it away again once the
// server no longer does (the case's clinician or supervisor took it back).
// 2: made here and not yet seen there; a clinician's or supervisor's sync
// sends it. 0: from before this migration, not known; a clinician's sync
// sends those of their cases as before, a supervisor's never (it may be one
// the clinician has since taken back), and a sync that finds it on the
// server marks it 1.
constexpr std::string_view kMigrationArrivedAssignments = R"SQL(
ALTER TABLE coding_assignments ADD COLUMN server_state INTEGER NOT NULL DEFAULT 0 CHECK (server_state IN (0, 1, 2));
)SQL";

// [SECTION] Migration 15 (issue 21): a pause of the live clock travels
// (bundles and the practice server), so that every copy maps a recording's
// media seconds to the session's clock alike (DOMAIN.md, "Recordings"). A
// pause is never changed once closed, so it is identified by a uuid alone.
// The pauses already here get theirs from their session's uuid and their own
// row (no other copy has them: they never travelled). The seal on changing
// a signed session's pauses stands aside for that one UPDATE.
constexpr std::string_view kMigrationPauseIdentity = R"SQL(
ALTER TABLE session_pauses ADD COLUMN uuid TEXT NOT NULL DEFAULT '';
DROP TRIGGER session_pauses_sealed_update;
UPDATE session_pauses AS p SET uuid = attune_sha256_uuid('attune-pause:' || s.uuid || ':' || p.id)
FROM sessions s WHERE s.id = p.session_id;
CREATE TRIGGER session_pauses_sealed_update BEFORE UPDATE ON session_pauses
WHEN EXISTS (SELECT 1 FROM signatures WHERE session_id IN (OLD.session_id, NEW.session_id))
BEGIN SELECT RAISE(ABORT, 'this session is signed: its clock is sealed'); END;
CREATE UNIQUE INDEX session_pauses_uuid ON session_pauses(uuid);
)SQL";

}  // namespace

const std::vector<std::string_view>& migrations() {
    static const std::vector<std::string_view> all{kMigration1, kMigration2, kMigration3,
                                                   kMigration4, kMigration5, kMigration6,
                                                   kMigrationRecordings, kMigrationBundleSignatures,
                                                   kMigrationNoteHistory, kMigrationCyclePositions,
                                                   kMigrationWithdrawnShares, kMigrationRemovedMeasures,
                                                   kMigrationCommentIdentity, kMigrationArrivedAssignments,
                                                   kMigrationPauseIdentity};
    return all;
}

}  // namespace attune::store
