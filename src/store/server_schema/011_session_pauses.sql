-- Attune practice server, migration 11 (issue 21): the live clock's pauses
-- travel (DOMAIN.md, "Recordings (version 2)").
--
-- A recording runs straight through while the session clock stands still in
-- a pause, so mapping a media second to the session's clock needs every
-- pause. Until now they stayed on the clinician's machine, and a supervisor
-- or coder coding the session from its recording lined it up wrongly after
-- the first pause. A closed pause is never changed, so it travels by its
-- uuid alone: the case's clinicians add them to their sessions; whoever
-- reads a session (its clinicians, its supervisor, its coders) reads them.
-- No Attune role may change or delete one, and once the session is signed
-- no pause is added to it (the local seal, migration 4, mirrored here).

CREATE TABLE attune.session_pauses (
    uuid             uuid PRIMARY KEY,
    session_uuid     uuid NOT NULL REFERENCES attune.sessions (uuid),
    session_seconds  double precision NOT NULL CHECK (session_seconds >= 0),
    wall_seconds     double precision NOT NULL CHECK (wall_seconds >= 0),
    began_at         double precision,
    origin           text NOT NULL CHECK (origin IN ('live', 'recovered', 'entered')),
    created_at       text NOT NULL,
    change_seq       bigint NOT NULL DEFAULT 0
);
CREATE INDEX session_pauses_by_session ON attune.session_pauses (session_uuid);

-- The seal runs as the guard, which sees every signature and every pause's uuid.
CREATE FUNCTION attune.session_pauses_seal() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, attune
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- The same pause pushed again: let ON CONFLICT decide (nothing changes).
        IF EXISTS (SELECT 1 FROM attune.session_pauses WHERE uuid = NEW.uuid) THEN
            RETURN NEW;
        END IF;
        IF attune.session_signed(NEW.session_uuid) THEN
            RAISE EXCEPTION 'this session is signed: its clock is sealed' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF attune.session_signed(OLD.session_uuid)
       OR (TG_OP = 'UPDATE' AND attune.session_signed(NEW.session_uuid)) THEN
        RAISE EXCEPTION 'this session is signed: its clock is sealed' USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$;

GRANT attune_guard TO CURRENT_USER;
GRANT CREATE ON SCHEMA attune TO attune_guard;
ALTER FUNCTION attune.session_pauses_seal() OWNER TO attune_guard;
REVOKE CREATE ON SCHEMA attune FROM attune_guard;
CREATE TRIGGER session_pauses_change_seq BEFORE INSERT OR UPDATE ON attune.session_pauses
    FOR EACH ROW EXECUTE FUNCTION attune.stamp_change_seq();
CREATE TRIGGER session_pauses_seal BEFORE INSERT OR UPDATE OR DELETE ON attune.session_pauses
    FOR EACH ROW EXECUTE FUNCTION attune.session_pauses_seal();
REVOKE attune_guard FROM CURRENT_USER;

ALTER TABLE attune.session_pauses ENABLE ROW LEVEL SECURITY;
ALTER TABLE attune.session_pauses FORCE ROW LEVEL SECURITY;
REVOKE ALL ON attune.session_pauses FROM PUBLIC;
GRANT SELECT ON attune.session_pauses TO attune_clinician, attune_supervisor, attune_coder;
GRANT INSERT ON attune.session_pauses TO attune_clinician;
GRANT SELECT (uuid) ON attune.session_pauses TO attune_guard;

CREATE POLICY clinician_read ON attune.session_pauses FOR SELECT TO attune_clinician
    USING (session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY supervisor_read ON attune.session_pauses FOR SELECT TO attune_supervisor
    USING (session_uuid IN (SELECT attune.supervised_sessions()));
CREATE POLICY coder_read ON attune.session_pauses FOR SELECT TO attune_coder
    USING (session_uuid IN (SELECT attune.assigned_sessions()));
CREATE POLICY clinician_insert ON attune.session_pauses FOR INSERT TO attune_clinician
    WITH CHECK (session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY guard_read ON attune.session_pauses FOR SELECT TO attune_guard USING (true);

-- Pulls of them are audited like every other table's.
INSERT INTO attune.pulled_tables (name) VALUES ('session_pauses');

INSERT INTO attune.attune_schema_version (version, description)
VALUES (11, 'the live clock''s pauses travel');
