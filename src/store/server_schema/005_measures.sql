-- Attune practice server, migration 5 (issue 21): couple-reported measures
-- travel (DOMAIN.md, "Couple-reported measures (version 2)").
--
-- A measure is one administration of an instrument to one partner of a case.
-- The case's clinicians enter, correct and remove them, each change in their
-- own name (entered_by); its supervisor reads them; a coder never does. A
-- removal is kept as the row marked removed (its updated_at the time of the
-- removal), so that it reaches every copy through the pull like any change;
-- a later correction elsewhere brings the measure back, as bundles merge it.
--
-- Instruments a practice added itself (shipped ones are in every Attune) are
-- shared by the whole practice, like coding schemes: stored once, never
-- changed, read by its clinicians, supervisors and administrators.

CREATE TABLE attune.instruments (
    id          text PRIMARY KEY CHECK (length(id) BETWEEN 1 AND 64),
    content     text NOT NULL CHECK (length(content) BETWEEN 1 AND 262144),
    added_by    uuid NOT NULL REFERENCES attune.people (uuid),
    added_at    text NOT NULL,
    change_seq  bigint NOT NULL DEFAULT 0
);

CREATE TABLE attune.measures (
    uuid           uuid PRIMARY KEY,
    case_uuid      uuid NOT NULL REFERENCES attune.cases (uuid),
    partner        text NOT NULL CHECK (partner IN ('A', 'B')),
    instrument_id  text NOT NULL CHECK (length(instrument_id) BETWEEN 1 AND 64),
    date           text NOT NULL CHECK (length(date) = 10),
    session_uuid   uuid,
    items          text CHECK (items IS NULL OR length(items) BETWEEN 2 AND 20000),
    entered_total  double precision,
    entered_by     uuid NOT NULL REFERENCES attune.people (uuid),
    created_at     text NOT NULL,
    updated_at     text NOT NULL,
    removed        boolean NOT NULL DEFAULT false,
    change_seq     bigint NOT NULL DEFAULT 0,
    -- the order measures arrived in (entry order among measures of one date)
    arrival        bigint GENERATED ALWAYS AS IDENTITY,
    CHECK ((items IS NULL) <> (entered_total IS NULL)),
    FOREIGN KEY (session_uuid, case_uuid) REFERENCES attune.sessions (uuid, case_uuid)
);
CREATE INDEX measures_by_case ON attune.measures (case_uuid);

-- A trigger needs EXECUTE on its function, which only its owner, the guard, has.
GRANT attune_guard TO CURRENT_USER;
CREATE TRIGGER instruments_change_seq BEFORE INSERT OR UPDATE ON attune.instruments
    FOR EACH ROW EXECUTE FUNCTION attune.stamp_change_seq();
CREATE TRIGGER measures_change_seq BEFORE INSERT OR UPDATE ON attune.measures
    FOR EACH ROW EXECUTE FUNCTION attune.stamp_change_seq();
REVOKE attune_guard FROM CURRENT_USER;
CREATE TRIGGER instruments_fixed BEFORE UPDATE OR DELETE ON attune.instruments
    FOR EACH ROW EXECUTE FUNCTION attune.refuse_change('a stored instrument file cannot be changed');

ALTER TABLE attune.instruments ENABLE ROW LEVEL SECURITY;
ALTER TABLE attune.instruments FORCE ROW LEVEL SECURITY;
ALTER TABLE attune.measures ENABLE ROW LEVEL SECURITY;
ALTER TABLE attune.measures FORCE ROW LEVEL SECURITY;
REVOKE ALL ON attune.instruments, attune.measures FROM PUBLIC;
GRANT SELECT ON attune.instruments TO attune_clinician, attune_supervisor, attune_admin;
GRANT INSERT ON attune.instruments TO attune_clinician;
GRANT SELECT ON attune.measures TO attune_clinician, attune_supervisor;
GRANT INSERT, UPDATE (partner, instrument_id, date, session_uuid, items, entered_total, entered_by, updated_at,
    removed) ON attune.measures TO attune_clinician;

CREATE POLICY all_read ON attune.instruments FOR SELECT TO attune_clinician, attune_supervisor, attune_admin
    USING (true);
CREATE POLICY clinician_insert ON attune.instruments FOR INSERT TO attune_clinician
    WITH CHECK (added_by = (SELECT attune.me()));

CREATE POLICY clinician_read ON attune.measures FOR SELECT TO attune_clinician
    USING (case_uuid IN (SELECT attune.my_cases()));
CREATE POLICY supervisor_read ON attune.measures FOR SELECT TO attune_supervisor
    USING (case_uuid IN (SELECT attune.supervised_cases()));
CREATE POLICY clinician_insert ON attune.measures FOR INSERT TO attune_clinician
    WITH CHECK (entered_by = (SELECT attune.me()) AND case_uuid IN (SELECT attune.my_cases()));
CREATE POLICY clinician_update ON attune.measures FOR UPDATE TO attune_clinician
    USING (case_uuid IN (SELECT attune.my_cases()))
    WITH CHECK (entered_by = (SELECT attune.me()) AND case_uuid IN (SELECT attune.my_cases()));

-- Pulls of measures are audited like every other table's.
INSERT INTO attune.pulled_tables (name) VALUES ('measures');

INSERT INTO attune.attune_schema_version (version, description)
VALUES (5, 'couple-reported measures travel, with the practice''s own instrument files');
