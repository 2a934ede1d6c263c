-- Attune practice server, migration 2 (issue 21): each person's key slot, so
-- that `attune join` can make a person's own copy of the practice on their
-- machine.
--
-- A row is one person's slot as the administrator's keyring holds it
-- (store/keyring.h, a keyring with that one slot): their Ed25519 secret key
-- and the data key of the administrator's practice file, each wrapped under a
-- key derived with Argon2id from the person's own passphrase, and the
-- practice's trust root in the slot's associated data. The server cannot
-- open it; someone who reads it must still guess the passphrase, one Argon2id
-- derivation per guess. The practice file itself never comes here.
--
-- Who reads it: the person's own login (to join), and the practice's
-- administrators (who hold every slot in their keyring already). Only an
-- administrator writes it, through `attune server add-person`.

CREATE TABLE attune.key_slots (
    person_uuid   uuid PRIMARY KEY REFERENCES attune.people (uuid),
    keyring       text NOT NULL CHECK (length(keyring) BETWEEN 2 AND 65536),
    published_at  timestamptz NOT NULL DEFAULT now()
);

REVOKE ALL ON attune.key_slots FROM PUBLIC;
GRANT SELECT ON attune.key_slots TO attune_clinician, attune_supervisor, attune_coder, attune_admin;
GRANT INSERT, UPDATE (keyring, published_at) ON attune.key_slots TO attune_admin;

ALTER TABLE attune.key_slots ENABLE ROW LEVEL SECURITY;
ALTER TABLE attune.key_slots FORCE ROW LEVEL SECURITY;
CREATE POLICY own_read ON attune.key_slots FOR SELECT
    TO attune_clinician, attune_supervisor, attune_coder, attune_admin USING (person_uuid = (SELECT attune.me()));
CREATE POLICY admin_read ON attune.key_slots FOR SELECT TO attune_admin USING (true);
CREATE POLICY admin_insert ON attune.key_slots FOR INSERT TO attune_admin WITH CHECK (true);
CREATE POLICY admin_update ON attune.key_slots FOR UPDATE TO attune_admin USING (true) WITH CHECK (true);

INSERT INTO attune.attune_schema_version (version, description)
VALUES (2, 'key slots for attune join');
