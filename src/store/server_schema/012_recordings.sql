-- Attune practice server, migration 12 (issue 21): recordings' links and
-- their excerpts travel (DOMAIN.md, "Recordings (version 2)").
--
-- A supervisor or coder who codes a session from its recording needs to know
-- which file it is (its SHA-256, length and size), and its offset, to line it
-- up with the session's clock; and a supervisor looks at the excerpts the
-- clinician marked. The server holds the link only, never the file, nor where
-- it lies on anyone's machine: each person links their own copy in their own
-- practice, and Attune refuses a copy whose SHA-256 differs.
--
-- Recordings: one per session, added by the case's clinicians; only the
-- offset (and when it changed) may change after, the newer version winning
-- as bundles merge it. Excerpts never change: marked by a case's clinician or
-- supervisor in their own name (created_by = me). Whoever reads the session
-- (its clinicians, its supervisor, its coders) reads both. No Attune role
-- deletes either.

CREATE TABLE attune.recordings (
    uuid              uuid PRIMARY KEY,
    session_uuid      uuid NOT NULL UNIQUE REFERENCES attune.sessions (uuid),
    sha256            text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    duration_seconds  double precision NOT NULL CHECK (duration_seconds >= 0),
    has_video         boolean NOT NULL,
    offset_seconds    double precision NOT NULL CHECK (abs(offset_seconds) < 1e9),
    original_name     text NOT NULL CHECK (octet_length(original_name) <= 1024 AND position('/' IN original_name) = 0),
    bytes             bigint NOT NULL CHECK (bytes >= 0),
    created_at        text NOT NULL,
    updated_at        text NOT NULL,
    change_seq        bigint NOT NULL DEFAULT 0
);

CREATE TABLE attune.excerpts (
    uuid            uuid PRIMARY KEY,
    recording_uuid  uuid NOT NULL REFERENCES attune.recordings (uuid),
    name            text NOT NULL CHECK (length(btrim(name)) > 0 AND octet_length(name) <= 200),
    stage           integer NOT NULL CHECK (stage BETWEEN 1 AND 3),
    media_start     double precision NOT NULL CHECK (media_start >= 0),
    media_stop      double precision NOT NULL CHECK (media_stop > media_start),
    created_by      uuid NOT NULL REFERENCES attune.people (uuid),
    created_at      text NOT NULL,
    change_seq      bigint NOT NULL DEFAULT 0
);
CREATE INDEX excerpts_by_recording ON attune.excerpts (recording_uuid);

-- A trigger needs EXECUTE on its function, which only its owner, the guard, has.
GRANT attune_guard TO CURRENT_USER;
CREATE TRIGGER recordings_change_seq BEFORE INSERT OR UPDATE ON attune.recordings
    FOR EACH ROW EXECUTE FUNCTION attune.stamp_change_seq();
CREATE TRIGGER excerpts_change_seq BEFORE INSERT OR UPDATE ON attune.excerpts
    FOR EACH ROW EXECUTE FUNCTION attune.stamp_change_seq();
REVOKE attune_guard FROM CURRENT_USER;

ALTER TABLE attune.recordings ENABLE ROW LEVEL SECURITY;
ALTER TABLE attune.recordings FORCE ROW LEVEL SECURITY;
ALTER TABLE attune.excerpts ENABLE ROW LEVEL SECURITY;
ALTER TABLE attune.excerpts FORCE ROW LEVEL SECURITY;
REVOKE ALL ON attune.recordings, attune.excerpts FROM PUBLIC;
GRANT SELECT ON attune.recordings, attune.excerpts TO attune_clinician, attune_supervisor, attune_coder;
GRANT INSERT, UPDATE (offset_seconds, updated_at) ON attune.recordings TO attune_clinician;
GRANT INSERT ON attune.excerpts TO attune_clinician, attune_supervisor;

CREATE POLICY clinician_read ON attune.recordings FOR SELECT TO attune_clinician
    USING (session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY supervisor_read ON attune.recordings FOR SELECT TO attune_supervisor
    USING (session_uuid IN (SELECT attune.supervised_sessions()));
CREATE POLICY coder_read ON attune.recordings FOR SELECT TO attune_coder
    USING (session_uuid IN (SELECT attune.assigned_sessions()));
CREATE POLICY clinician_insert ON attune.recordings FOR INSERT TO attune_clinician
    WITH CHECK (session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY clinician_update ON attune.recordings FOR UPDATE TO attune_clinician
    USING (session_uuid IN (SELECT attune.my_sessions()))
    WITH CHECK (session_uuid IN (SELECT attune.my_sessions()));

-- An excerpt is read with its recording (through the caller's own policies on it).
CREATE POLICY reader_read ON attune.excerpts FOR SELECT TO attune_clinician, attune_supervisor, attune_coder
    USING (recording_uuid IN (SELECT uuid FROM attune.recordings));
CREATE POLICY clinician_insert ON attune.excerpts FOR INSERT TO attune_clinician
    WITH CHECK (created_by = (SELECT attune.me()) AND recording_uuid IN
                (SELECT uuid FROM attune.recordings WHERE session_uuid IN (SELECT attune.my_sessions())));
CREATE POLICY supervisor_insert ON attune.excerpts FOR INSERT TO attune_supervisor
    WITH CHECK (created_by = (SELECT attune.me()) AND recording_uuid IN
                (SELECT uuid FROM attune.recordings WHERE session_uuid IN (SELECT attune.supervised_sessions())));

-- Pulls of them are audited like every other table's.
INSERT INTO attune.pulled_tables (name) VALUES ('recordings'), ('excerpts');

INSERT INTO attune.attune_schema_version (version, description)
VALUES (12, 'recordings'' links and their excerpts travel');
