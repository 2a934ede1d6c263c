-- Attune practice server, migration 6 (issue 21): a review comment's edits
-- and its removal travel.
--
-- A comment keeps its uuid through edits (the local migration 13 gives every
-- comment one) and says when it last changed (updated_at): its author, and
-- only its author, replaces the text or the moment, and the newer version
-- wins as bundles merge it. A comment taken down is kept as the row marked
-- removed (its updated_at the time of the removal), so that the removal
-- reaches every copy through the pull like any change; a later edit
-- elsewhere brings it back.
--
-- The comments already here were keyed by a hash of their content, moment
-- included. They are keyed again, as every copy keys its own comments in
-- local migration 13: the first 16 bytes of the SHA-256 of
-- 'attune-comment:' session uuid ':' author's name ':' created_at ':' text
-- ':' rank among the session's comments equal in author, created_at and text
-- (by moment). So a copy's comment and the server's are one row.

ALTER TABLE attune.review_comments ADD COLUMN updated_at text, ADD COLUMN removed boolean NOT NULL DEFAULT false;

-- Row-level security is forced even for the schema's owner: lifted for the
-- keying, inside this migration's transaction.
ALTER TABLE attune.review_comments NO FORCE ROW LEVEL SECURITY;
ALTER TABLE attune.people NO FORCE ROW LEVEL SECURITY;
UPDATE attune.review_comments AS r SET updated_at = r.created_at, uuid = k.uuid FROM (
    SELECT x.uuid AS old, encode(substring(sha256(convert_to('attune-comment:' || x.session_uuid || ':' || p.name ||
        ':' || x.created_at || ':' || x.body || ':' || row_number() OVER (PARTITION BY x.session_uuid,
        x.author_uuid, x.created_at, x.body ORDER BY x.t, x.uuid), 'UTF8')) FROM 1 FOR 16), 'hex')::uuid AS uuid
    FROM attune.review_comments x JOIN attune.people p ON p.uuid = x.author_uuid) AS k
WHERE k.old = r.uuid;
ALTER TABLE attune.people FORCE ROW LEVEL SECURITY;
ALTER TABLE attune.review_comments FORCE ROW LEVEL SECURITY;
ALTER TABLE attune.review_comments ALTER COLUMN updated_at SET NOT NULL;

GRANT UPDATE (t, body, updated_at, removed) ON attune.review_comments TO attune_clinician, attune_supervisor;
CREATE POLICY clinician_update ON attune.review_comments FOR UPDATE TO attune_clinician
    USING (author_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.my_sessions()))
    WITH CHECK (author_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY supervisor_update ON attune.review_comments FOR UPDATE TO attune_supervisor
    USING (author_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.supervised_sessions()))
    WITH CHECK (author_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.supervised_sessions()));

INSERT INTO attune.attune_schema_version (version, description)
VALUES (6, 'a review comment''s edits and its removal travel, by its uuid');
