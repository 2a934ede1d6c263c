-- Attune practice server, migration 7 (issue 21): the clinician's
-- formulation (a case's goals, the partners' attachment styles and cycle
-- positions) is read only for the cases one treats (one's own and those
-- shared with one) or supervises.
--
-- Column privileges belong to a group, not to a row: a person who was both a
-- clinician and a coder read, through the clinicians' SELECT on every
-- column, the goals of a case they were only assigned to code (the coders'
-- policy let them read its row), and the administrator, who sees the
-- practice's caseload, read every case's goals. Here nobody's group may read
-- those columns; the formulation is read through attune.formulations(), owned
-- by the guard, which hands out only the rows of the cases the connection's
-- own login treats or supervises (as the clinicians' and supervisors'
-- policies say). Writing them is unchanged.

REVOKE SELECT ON attune.cases FROM attune_clinician, attune_supervisor, attune_admin;
GRANT SELECT (uuid, label, clinician_uuid, supervisor_uuid, start_date, status, scheme_name, scheme_version,
              created_at, updated_at, change_seq)
    ON attune.cases TO attune_clinician, attune_supervisor, attune_admin;
REVOKE SELECT ON attune.participants FROM attune_clinician, attune_supervisor;
GRANT SELECT (uuid, case_uuid, role, display_name, updated_at, change_seq)
    ON attune.participants TO attune_clinician, attune_supervisor;

GRANT SELECT (uuid, clinician_uuid, supervisor_uuid, goals) ON attune.cases TO attune_guard;
GRANT SELECT (case_uuid, role, attachment_style, cycle_position) ON attune.participants TO attune_guard;
GRANT SELECT (case_uuid, person_uuid) ON attune.case_shares TO attune_guard;
CREATE POLICY guard_read ON attune.participants FOR SELECT TO attune_guard USING (true);
CREATE POLICY guard_read ON attune.case_shares FOR SELECT TO attune_guard USING (true);

CREATE FUNCTION attune.formulations()
RETURNS TABLE (case_uuid uuid, goals text, a_style text, a_cycle text, b_style text, b_cycle text)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, attune
AS $$
    WITH me AS (SELECT r.person_uuid FROM attune.person_role r WHERE r.login_name = session_user)
    SELECT c.uuid, c.goals, a.attachment_style, a.cycle_position, b.attachment_style, b.cycle_position
    FROM attune.cases c
    JOIN attune.participants a ON a.case_uuid = c.uuid AND a.role = 'A'
    JOIN attune.participants b ON b.case_uuid = c.uuid AND b.role = 'B'
    WHERE (pg_has_role(session_user, 'attune_clinician', 'MEMBER')
           AND (c.clinician_uuid IN (SELECT person_uuid FROM me)
                OR c.uuid IN (SELECT s.case_uuid FROM attune.case_shares s
                              WHERE s.person_uuid IN (SELECT person_uuid FROM me))))
       OR (pg_has_role(session_user, 'attune_supervisor', 'MEMBER')
           AND c.supervisor_uuid IN (SELECT person_uuid FROM me))
$$;
REVOKE ALL ON FUNCTION attune.formulations() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attune.formulations() TO attune_clinician, attune_supervisor;
GRANT attune_guard TO CURRENT_USER;
GRANT CREATE ON SCHEMA attune TO attune_guard;
ALTER FUNCTION attune.formulations() OWNER TO attune_guard;
REVOKE CREATE ON SCHEMA attune FROM attune_guard;
REVOKE attune_guard FROM CURRENT_USER;

INSERT INTO attune.attune_schema_version (version, description)
VALUES (7, 'the formulation is read only for the cases one treats or supervises');
