-- Attune practice server, migration 9 (issue 21): a review comment taken
-- down keeps no text on the server.
--
-- Migration 6 kept a removed comment as its row marked removed, so that the
-- removal reaches every copy; its text stayed in that row, readable by every
-- login that reads the session and by the server's administrator, after its
-- author had taken it down. From now on a removed row keeps only what the
-- removal needs to travel (its uuid, session, author, moment and times): a
-- trigger empties the text whenever a row is written marked removed, whoever
-- writes it, and the rows removed before this migration are emptied here. A
-- later edit of the comment in a copy that still holds it brings the text
-- back with the edit, as before.

-- Row-level security is forced even for the schema's owner: lifted for the
-- emptying, inside this migration's transaction.
ALTER TABLE attune.review_comments DROP CONSTRAINT review_comments_body_check;
ALTER TABLE attune.review_comments NO FORCE ROW LEVEL SECURITY;
UPDATE attune.review_comments SET body = '' WHERE removed AND body <> '';
ALTER TABLE attune.review_comments FORCE ROW LEVEL SECURITY;
ALTER TABLE attune.review_comments ADD CONSTRAINT review_comments_body_check
    CHECK ((removed AND body = '') OR (NOT removed AND length(body) BETWEEN 1 AND 5000));

CREATE FUNCTION attune.empty_removed_comment() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
BEGIN
    IF NEW.removed THEN
        NEW.body := '';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER review_comments_removed_text BEFORE INSERT OR UPDATE ON attune.review_comments
    FOR EACH ROW EXECUTE FUNCTION attune.empty_removed_comment();

INSERT INTO attune.attune_schema_version (version, description)
VALUES (9, 'a review comment taken down keeps no text on the server');
