-- Attune practice server, migration 10 (issue 21): a case's supervisor
-- assigns its sessions to coders on the server too.
--
-- Until now only a case's clinician could add a coder assignment on the
-- server, so one a supervisor made (a second coder for an agreement check)
-- stayed in the supervisor's own copy and never reached the coder. A
-- supervisor now adds assignments to the sessions of the cases they
-- supervise, each in their own name (assigned_by), and takes back any
-- assignment of those sessions, as they may in their own copy; the case's
-- clinician still adds and takes back any of their cases' assignments. That
-- the session is the case's is the composite key's (migration 4).

GRANT INSERT, DELETE ON attune.coder_assignments TO attune_supervisor;
CREATE POLICY supervisor_insert ON attune.coder_assignments FOR INSERT TO attune_supervisor
    WITH CHECK (assigned_by = (SELECT attune.me()) AND case_uuid IN (SELECT attune.supervised_cases()));
CREATE POLICY supervisor_delete ON attune.coder_assignments FOR DELETE TO attune_supervisor
    USING (case_uuid IN (SELECT attune.supervised_cases()));

INSERT INTO attune.attune_schema_version (version, description)
VALUES (10, 'a case''s supervisor assigns its sessions to coders on the server too');
