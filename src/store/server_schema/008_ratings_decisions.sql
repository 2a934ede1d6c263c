-- Attune practice server, migration 8 (issue 21): a second rater's
-- end-of-session ratings and the therapist's change-event decisions travel
-- (DOMAIN.md, "Agreement on ratings (version 2)" and "Change events
-- (version 2)").
--
-- Ratings: one row per session and rater other than the case's clinician
-- (whose ratings are the session's own). Each login rates, in their own name,
-- the sessions they read: a supervisor their supervisees', a coder those
-- assigned to them; a case's clinicians also record another rater's ratings
-- given on paper (entered_by says who wrote the row). The case's clinicians
-- and supervisor read every rater's; a coder reads only their own, so that
-- their rating stays independent. The newer version wins, as bundles merge it.
--
-- Decisions: one row per session and change-event candidate (core's
-- ChangeEventCandidate::key()); confirmed or rejected by one of the case's
-- clinicians, read by its clinicians and supervisor. The later decision wins.

CREATE TABLE attune.session_ratings (
    uuid          uuid PRIMARY KEY,
    session_uuid  uuid NOT NULL REFERENCES attune.sessions (uuid),
    rater_uuid    uuid NOT NULL REFERENCES attune.people (uuid),
    attunement_a  integer CHECK (attunement_a BETWEEN 0 AND 10),
    attunement_b  integer CHECK (attunement_b BETWEEN 0 AND 10),
    safety        integer CHECK (safety BETWEEN 0 AND 10),
    entered_by    uuid NOT NULL REFERENCES attune.people (uuid),
    created_at    text NOT NULL,
    updated_at    text NOT NULL,
    change_seq    bigint NOT NULL DEFAULT 0,
    UNIQUE (session_uuid, rater_uuid)
);

CREATE TABLE attune.change_event_decisions (
    uuid           uuid PRIMARY KEY,
    session_uuid   uuid NOT NULL REFERENCES attune.sessions (uuid),
    candidate_key  text NOT NULL CHECK (length(candidate_key) BETWEEN 1 AND 200),
    decision       text NOT NULL CHECK (decision IN ('confirmed', 'rejected')),
    decided_by     uuid NOT NULL REFERENCES attune.people (uuid),
    decided_at     text NOT NULL,
    change_seq     bigint NOT NULL DEFAULT 0,
    UNIQUE (session_uuid, candidate_key)
);

-- A trigger needs EXECUTE on its function, which only its owner, the guard, has.
GRANT attune_guard TO CURRENT_USER;
CREATE TRIGGER session_ratings_change_seq BEFORE INSERT OR UPDATE ON attune.session_ratings
    FOR EACH ROW EXECUTE FUNCTION attune.stamp_change_seq();
CREATE TRIGGER change_event_decisions_change_seq BEFORE INSERT OR UPDATE ON attune.change_event_decisions
    FOR EACH ROW EXECUTE FUNCTION attune.stamp_change_seq();
REVOKE attune_guard FROM CURRENT_USER;

ALTER TABLE attune.session_ratings ENABLE ROW LEVEL SECURITY;
ALTER TABLE attune.session_ratings FORCE ROW LEVEL SECURITY;
ALTER TABLE attune.change_event_decisions ENABLE ROW LEVEL SECURITY;
ALTER TABLE attune.change_event_decisions FORCE ROW LEVEL SECURITY;
REVOKE ALL ON attune.session_ratings, attune.change_event_decisions FROM PUBLIC;
GRANT SELECT ON attune.session_ratings TO attune_clinician, attune_supervisor, attune_coder;
GRANT INSERT, UPDATE (attunement_a, attunement_b, safety, entered_by, updated_at) ON attune.session_ratings
    TO attune_clinician, attune_supervisor, attune_coder;
GRANT SELECT ON attune.change_event_decisions TO attune_clinician, attune_supervisor;
GRANT INSERT, UPDATE (decision, decided_by, decided_at) ON attune.change_event_decisions TO attune_clinician;

-- Whether `rater` is the clinician of the session's case (read through the
-- caller's own row-level security: every group that writes ratings reads the
-- cases of the sessions it reads).
CREATE FUNCTION attune.treats_session(p_session uuid, p_rater uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY INVOKER
SET search_path = pg_catalog, attune
AS $$
    SELECT EXISTS (SELECT 1 FROM attune.sessions s JOIN attune.cases c ON c.uuid = s.case_uuid
                   WHERE s.uuid = p_session AND c.clinician_uuid = p_rater)
$$;
REVOKE ALL ON FUNCTION attune.treats_session(uuid, uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attune.treats_session(uuid, uuid) TO attune_clinician, attune_supervisor, attune_coder;

CREATE POLICY clinician_read ON attune.session_ratings FOR SELECT TO attune_clinician
    USING (session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY supervisor_read ON attune.session_ratings FOR SELECT TO attune_supervisor
    USING (session_uuid IN (SELECT attune.supervised_sessions()));
CREATE POLICY coder_read ON attune.session_ratings FOR SELECT TO attune_coder
    USING (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.assigned_sessions()));
CREATE POLICY clinician_insert ON attune.session_ratings FOR INSERT TO attune_clinician
    WITH CHECK (entered_by = (SELECT attune.me()) AND session_uuid IN (SELECT attune.my_sessions())
                AND NOT attune.treats_session(session_uuid, rater_uuid));
CREATE POLICY clinician_update ON attune.session_ratings FOR UPDATE TO attune_clinician
    USING (session_uuid IN (SELECT attune.my_sessions()))
    WITH CHECK (entered_by = (SELECT attune.me()) AND session_uuid IN (SELECT attune.my_sessions())
                AND NOT attune.treats_session(session_uuid, rater_uuid));
CREATE POLICY supervisor_insert ON attune.session_ratings FOR INSERT TO attune_supervisor
    WITH CHECK (rater_uuid = (SELECT attune.me()) AND entered_by = (SELECT attune.me())
                AND session_uuid IN (SELECT attune.supervised_sessions())
                AND NOT attune.treats_session(session_uuid, rater_uuid));
CREATE POLICY supervisor_update ON attune.session_ratings FOR UPDATE TO attune_supervisor
    USING (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.supervised_sessions()))
    WITH CHECK (rater_uuid = (SELECT attune.me()) AND entered_by = (SELECT attune.me())
                AND session_uuid IN (SELECT attune.supervised_sessions())
                AND NOT attune.treats_session(session_uuid, rater_uuid));
CREATE POLICY coder_insert ON attune.session_ratings FOR INSERT TO attune_coder
    WITH CHECK (rater_uuid = (SELECT attune.me()) AND entered_by = (SELECT attune.me())
                AND session_uuid IN (SELECT attune.assigned_sessions())
                AND NOT attune.treats_session(session_uuid, rater_uuid));
CREATE POLICY coder_update ON attune.session_ratings FOR UPDATE TO attune_coder
    USING (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.assigned_sessions()))
    WITH CHECK (rater_uuid = (SELECT attune.me()) AND entered_by = (SELECT attune.me())
                AND session_uuid IN (SELECT attune.assigned_sessions())
                AND NOT attune.treats_session(session_uuid, rater_uuid));

CREATE POLICY clinician_read ON attune.change_event_decisions FOR SELECT TO attune_clinician
    USING (session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY supervisor_read ON attune.change_event_decisions FOR SELECT TO attune_supervisor
    USING (session_uuid IN (SELECT attune.supervised_sessions()));
CREATE POLICY clinician_insert ON attune.change_event_decisions FOR INSERT TO attune_clinician
    WITH CHECK (decided_by = (SELECT attune.me()) AND session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY clinician_update ON attune.change_event_decisions FOR UPDATE TO attune_clinician
    USING (session_uuid IN (SELECT attune.my_sessions()))
    WITH CHECK (decided_by = (SELECT attune.me()) AND session_uuid IN (SELECT attune.my_sessions()));

-- Pulls of both are audited like every other table's.
INSERT INTO attune.pulled_tables (name) VALUES ('session_ratings'), ('change_event_decisions');

INSERT INTO attune.attune_schema_version (version, description)
VALUES (8, 'second raters'' ratings and change-event decisions travel');
