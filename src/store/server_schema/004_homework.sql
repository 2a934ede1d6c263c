-- Attune practice server, migration 4 (issue 21): homework travels.
--
-- The rituals of connection a couple agreed in one session and checked off at
-- a later one (the local table homework). The case's clinicians write them
-- and check them off; its supervisor reads them; a coder never does. A
-- check-off goes only into an item not yet checked off, as bundles merge it
-- (store/bundle_merge.cpp): the push's ON CONFLICT says so, and the pull's
-- merge reports an item checked off differently on two machines.
--
-- The item's session must be one of its case's sessions: a foreign key on
-- (session_uuid, case_uuid) says so, on the sessions' new unique key.

ALTER TABLE attune.sessions ADD CONSTRAINT sessions_uuid_case UNIQUE (uuid, case_uuid);

CREATE TABLE attune.homework (
    uuid          uuid PRIMARY KEY,
    case_uuid     uuid NOT NULL REFERENCES attune.cases (uuid),
    session_uuid  uuid NOT NULL,
    description   text NOT NULL CHECK (length(description) BETWEEN 1 AND 500),
    done          boolean,
    created_at    text NOT NULL,
    change_seq    bigint NOT NULL DEFAULT 0,
    -- the order items arrived in: items agreed in one second keep the order they were agreed in
    arrival       bigint GENERATED ALWAYS AS IDENTITY,
    FOREIGN KEY (session_uuid, case_uuid) REFERENCES attune.sessions (uuid, case_uuid)
);
CREATE INDEX homework_by_case ON attune.homework (case_uuid);

-- A trigger needs EXECUTE on its function, which only its owner, the guard, has.
GRANT attune_guard TO CURRENT_USER;
CREATE TRIGGER homework_change_seq BEFORE INSERT OR UPDATE ON attune.homework
    FOR EACH ROW EXECUTE FUNCTION attune.stamp_change_seq();
REVOKE attune_guard FROM CURRENT_USER;

ALTER TABLE attune.homework ENABLE ROW LEVEL SECURITY;
ALTER TABLE attune.homework FORCE ROW LEVEL SECURITY;
REVOKE ALL ON attune.homework FROM PUBLIC;
GRANT SELECT ON attune.homework TO attune_clinician, attune_supervisor;
GRANT INSERT, UPDATE (done) ON attune.homework TO attune_clinician;

CREATE POLICY clinician_read ON attune.homework FOR SELECT TO attune_clinician
    USING (case_uuid IN (SELECT attune.my_cases()));
CREATE POLICY supervisor_read ON attune.homework FOR SELECT TO attune_supervisor
    USING (case_uuid IN (SELECT attune.supervised_cases()));
CREATE POLICY clinician_insert ON attune.homework FOR INSERT TO attune_clinician
    WITH CHECK (case_uuid IN (SELECT attune.my_cases()));
CREATE POLICY clinician_update ON attune.homework FOR UPDATE TO attune_clinician
    USING (case_uuid IN (SELECT attune.my_cases())) WITH CHECK (case_uuid IN (SELECT attune.my_cases()));

-- Pulls of homework are audited like every other table's. Which tables a
-- pull may name is a table of its own from here on, so that a later
-- migration adds a row instead of writing record_pull again.
CREATE TABLE attune.pulled_tables (name text PRIMARY KEY);
INSERT INTO attune.pulled_tables (name)
VALUES ('people'), ('practice_log'), ('cases'), ('participants'), ('case_shares'), ('sessions'),
       ('coder_assignments'), ('observations'), ('progress_notes'), ('signatures'), ('addenda'),
       ('review_comments'), ('homework');
ALTER TABLE attune.pulled_tables ENABLE ROW LEVEL SECURITY;
ALTER TABLE attune.pulled_tables FORCE ROW LEVEL SECURITY;
REVOKE ALL ON attune.pulled_tables FROM PUBLIC;
GRANT SELECT ON attune.pulled_tables TO attune_clinician, attune_supervisor, attune_coder, attune_admin;
CREATE POLICY all_read ON attune.pulled_tables FOR SELECT
    TO attune_clinician, attune_supervisor, attune_coder, attune_admin USING (true);
-- The schema's owner adds rows in later migrations.
CREATE POLICY owner_all ON attune.pulled_tables TO CURRENT_USER USING (true) WITH CHECK (true);

CREATE OR REPLACE FUNCTION attune.record_pull(p_table text, p_rows uuid[], p_since bigint, p_horizon bigint)
RETURNS uuid
LANGUAGE plpgsql VOLATILE SECURITY INVOKER
SET search_path = pg_catalog, attune
AS $$
DECLARE
    wanted bigint;
    seen bigint;
    me uuid := attune.me();
    id uuid;
BEGIN
    IF me IS NULL THEN
        RAISE EXCEPTION 'login role % is not a person of this practice', current_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM attune.pulled_tables WHERE name = p_table) THEN
        RAISE EXCEPTION 'record_pull: unknown table %', p_table USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT count(DISTINCT u) INTO wanted FROM unnest(coalesce(p_rows, '{}')) AS u;
    EXECUTE format('SELECT count(*) FROM attune.%I WHERE uuid = ANY ($1)', p_table) INTO seen USING p_rows;
    IF seen <> wanted THEN
        RAISE EXCEPTION 'record_pull: % of the % rows named are not rows you can read', wanted - seen, wanted
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO attune.audit_log (at, actor_uuid, action, entity, detail, row_uuids)
    VALUES (to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), me, 'pull', p_table,
            format('change_seq in (%s, %s]: %s rows', p_since, p_horizon, wanted), coalesce(p_rows, '{}'))
    RETURNING uuid INTO id;
    RETURN id;
END
$$;

INSERT INTO attune.attune_schema_version (version, description)
VALUES (4, 'homework travels');
