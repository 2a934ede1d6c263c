-- Attune practice server, migration 3 (issue 21): a coder's own copy.
--
-- A coder's login read the sessions assigned to them and their own coding
-- of them, but not the cases those sessions belong to, so their pull had no
-- case to hang a session on. Here they read, of the cases of their assigned
-- sessions only, what coding needs: the case's label, who treats and
-- supervises it, its coding scheme and dates; and the partners' display
-- names (whom "A" and "B" mean). Not the case's goals, nor the partners'
-- attachment styles or cycle positions (the clinician's formulation), nor
-- any note: column privileges refuse those outright.
--
-- Which cases those are comes from coder_assignments, whose clinician policy
-- reads cases: a policy on cases that read coder_assignments directly would
-- make a cycle for a person who is both clinician and coder. So the set is
-- read by a function owned by attune_guard (which reads coder_assignments
-- and person_role with narrow grants and policies of its own), for the
-- connection's own login (session_user) only.

CREATE FUNCTION attune.assigned_cases() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, attune
AS $$
    SELECT a.case_uuid FROM attune.coder_assignments a
    JOIN attune.person_role r ON r.person_uuid = a.person_uuid
    WHERE r.login_name = session_user
$$;

REVOKE ALL ON FUNCTION attune.assigned_cases() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attune.assigned_cases() TO attune_coder;

CREATE POLICY guard_read ON attune.coder_assignments FOR SELECT TO attune_guard USING (true);
CREATE POLICY guard_read ON attune.person_role FOR SELECT TO attune_guard USING (true);
GRANT SELECT (case_uuid, person_uuid) ON attune.coder_assignments TO attune_guard;
GRANT SELECT (login_name, person_uuid) ON attune.person_role TO attune_guard;

GRANT attune_guard TO CURRENT_USER;
GRANT CREATE ON SCHEMA attune TO attune_guard;
ALTER FUNCTION attune.assigned_cases() OWNER TO attune_guard;
REVOKE CREATE ON SCHEMA attune FROM attune_guard;
REVOKE attune_guard FROM CURRENT_USER;

GRANT SELECT (uuid, label, clinician_uuid, supervisor_uuid, start_date, status, scheme_name, scheme_version,
              created_at, updated_at, change_seq)
    ON attune.cases TO attune_coder;
GRANT SELECT (uuid, case_uuid, role, display_name, updated_at, change_seq)
    ON attune.participants TO attune_coder;
CREATE POLICY coder_read ON attune.cases FOR SELECT TO attune_coder
    USING (uuid IN (SELECT attune.assigned_cases()));
CREATE POLICY coder_read ON attune.participants FOR SELECT TO attune_coder
    USING (case_uuid IN (SELECT attune.assigned_cases()));

INSERT INTO attune.attune_schema_version (version, description)
VALUES (3, 'a coder reads the cases of the sessions assigned to them');
