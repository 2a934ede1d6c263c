-- Attune practice server, migration 1 (issue 21): the schema, the roles and
-- the access rules, for PostgreSQL 15.
--
-- Run once, in one transaction, by the role that is to own the schema:
-- `attune server init --url URL` does (store/practice_server.cpp, which embeds
-- this file), or by hand
--   psql --single-transaction -v ON_ERROR_STOP=1 -f 001_init.sql
-- That role needs CREATEROLE (it creates the group roles below) and CREATE
-- on the database; it need not be a superuser. Later migrations are
-- 002_*.sql, ... and each adds its row to attune.attune_schema_version.
--
-- Principles
-- - Rows travel by uuid. Every table of case data has `uuid` as its primary
--   key (coding schemes are keyed by name and version, logins by login
--   name), so a push is `INSERT ... ON CONFLICT (uuid) DO ...` and
--   pushing twice changes nothing. Where the local file identifies a row by
--   something else (a participant by case and partner, a signature by session
--   and role, a note by its session) that natural key is UNIQUE here as well;
--   clients derive such rows' uuids deterministically from it.
-- - Times that clients sign or merge on (created_at, updated_at, signed_at,
--   dates) are kept as the text the client sent, so that digests computed
--   on one machine verify on another. Times the server itself stamps are
--   timestamptz.
-- - Every row carries change_seq, taken from one sequence by a trigger on
--   INSERT and on UPDATE. A pull asks for change_seq > its last one and
--   <= attune.pull_horizon() (see there for why the horizon is needed).
-- - Private process notes have no table here: they never leave the
--   clinician's machine.
-- - Row-level security is enabled and forced on every table, so the owner of
--   the tables is bound by the policies too (it matches none of them and so
--   reads nothing). A superuser is not bound by row-level security.
-- - Who someone is: attune.me() maps the PostgreSQL login role (current_user)
--   to a person's uuid through attune.person_role. What they may do: the
--   group roles they are members of (attune_clinician, attune_supervisor,
--   attune_coder, attune_admin), whose policies are added up.

CREATE SCHEMA attune;
REVOKE ALL ON SCHEMA attune FROM PUBLIC;

-- [SECTION] Roles. Group roles are cluster-wide: a second practice database
-- on the same cluster reuses them.
DO $roles$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['attune_clinician', 'attune_supervisor', 'attune_coder', 'attune_admin', 'attune_guard']
    LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
END
$roles$;
-- attune_guard owns the few trigger functions that must look past the
-- caller's own rows (is this session signed?) and the change sequence. Nobody
-- logs in as it; it reads only the key columns it needs (granted below).
GRANT USAGE ON SCHEMA attune TO attune_clinician, attune_supervisor, attune_coder, attune_admin, attune_guard;

-- [SECTION] Version.
CREATE TABLE attune.attune_schema_version (
    version      integer PRIMARY KEY CHECK (version >= 1),
    description  text NOT NULL,
    applied_at   timestamptz NOT NULL DEFAULT now()
);
INSERT INTO attune.attune_schema_version (version, description)
VALUES (1, 'schema, roles, row-level security, seals, append-only audit');

-- [SECTION] The change sequence.
CREATE SEQUENCE attune.change_seq AS bigint;

-- [SECTION] People, their logins, the practice's signed log of keys and roles.
CREATE TABLE attune.people (
    uuid        uuid PRIMARY KEY,
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role        text NOT NULL DEFAULT 'clinician' CHECK (role IN ('clinician', 'supervisor', 'coder')),
    public_key  text NOT NULL DEFAULT '',   -- Ed25519, hex, as an administrator certified it
    created_at  text NOT NULL,
    updated_at  text NOT NULL,
    change_seq  bigint NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX people_name_nocase ON attune.people (lower(name));

-- Which PostgreSQL login role is which person. One login per person.
CREATE TABLE attune.person_role (
    login_name   name PRIMARY KEY,
    person_uuid  uuid NOT NULL UNIQUE REFERENCES attune.people (uuid),
    change_seq   bigint NOT NULL DEFAULT 0
);

-- Mirrors the local practice_log: certifications of keys and grants or
-- revocations of roles, each signed by an administrator; append-only.
CREATE TABLE attune.practice_log (
    uuid         uuid PRIMARY KEY,
    sequence     bigint NOT NULL UNIQUE CHECK (sequence >= 1),
    kind         text NOT NULL CHECK (kind IN ('key', 'grant', 'revoke')),
    role         text NOT NULL DEFAULT ''
        CHECK (role IN ('', 'clinician', 'supervisor', 'coder', 'administrator')),
    person_uuid  uuid NOT NULL,
    person_name  text NOT NULL DEFAULT '',
    public_key   text NOT NULL DEFAULT '',
    signer_uuid  uuid NOT NULL,
    at           text NOT NULL,
    signature    text NOT NULL,
    change_seq   bigint NOT NULL DEFAULT 0
);

-- A coding scheme version, as the local `schemes` table: identified by
-- (name, version), never changed once stored.
CREATE TABLE attune.schemes (
    name        text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    version     integer NOT NULL,
    content     text NOT NULL,
    created_at  text NOT NULL,
    change_seq  bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (name, version)
);

-- [SECTION] Cases and what belongs to them.
CREATE TABLE attune.cases (
    uuid             uuid PRIMARY KEY,
    label            text NOT NULL CHECK (length(label) BETWEEN 1 AND 100),
    clinician_uuid   uuid NOT NULL REFERENCES attune.people (uuid),
    supervisor_uuid  uuid REFERENCES attune.people (uuid),
    start_date       text NOT NULL,
    status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'paused', 'closed')),
    goals            text NOT NULL DEFAULT '' CHECK (length(goals) <= 20000),
    scheme_name      text NOT NULL,
    scheme_version   integer NOT NULL,
    created_at       text NOT NULL,
    updated_at       text NOT NULL,
    change_seq       bigint NOT NULL DEFAULT 0,
    FOREIGN KEY (scheme_name, scheme_version) REFERENCES attune.schemes (name, version)
);
CREATE INDEX cases_by_clinician ON attune.cases (clinician_uuid);
CREATE INDEX cases_by_supervisor ON attune.cases (supervisor_uuid);

CREATE TABLE attune.participants (
    uuid              uuid PRIMARY KEY,
    case_uuid         uuid NOT NULL REFERENCES attune.cases (uuid),
    role              text NOT NULL CHECK (role IN ('A', 'B')),
    display_name      text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    attachment_style  text NOT NULL DEFAULT ''
        CHECK (attachment_style IN ('', 'secure', 'anxious', 'avoidant', 'disorganized', 'unclear')),
    cycle_position    text NOT NULL DEFAULT '' CHECK (cycle_position IN ('', 'pursuer', 'withdrawer')),
    updated_at        text NOT NULL,
    change_seq        bigint NOT NULL DEFAULT 0,
    UNIQUE (case_uuid, role)
);

-- A case shared with another clinician, who then reads and writes it as its
-- own clinician does (but neither signs it nor hands it on). granted_by is
-- the case's clinician when the share was made; it keeps the policies free of
-- a cases <-> case_shares cycle.
CREATE TABLE attune.case_shares (
    uuid         uuid PRIMARY KEY,
    case_uuid    uuid NOT NULL REFERENCES attune.cases (uuid),
    person_uuid  uuid NOT NULL REFERENCES attune.people (uuid),
    granted_by   uuid NOT NULL REFERENCES attune.people (uuid),
    created_at   text NOT NULL,
    change_seq   bigint NOT NULL DEFAULT 0,
    UNIQUE (case_uuid, person_uuid)
);
CREATE INDEX case_shares_by_person ON attune.case_shares (person_uuid);

CREATE TABLE attune.sessions (
    uuid            uuid PRIMARY KEY,
    case_uuid       uuid NOT NULL REFERENCES attune.cases (uuid),
    number          integer NOT NULL CHECK (number >= 1),
    date            text NOT NULL,
    start_time      text NOT NULL DEFAULT '',
    state           text NOT NULL DEFAULT 'ended' CHECK (state IN ('running', 'paused', 'ended')),
    active_seconds  double precision NOT NULL DEFAULT 0 CHECK (active_seconds >= 0),
    eft_stage       integer CHECK (eft_stage BETWEEN 1 AND 3),
    eft_step        integer CHECK (eft_step BETWEEN 1 AND 9),
    attunement_a    integer CHECK (attunement_a BETWEEN 0 AND 10),
    attunement_b    integer CHECK (attunement_b BETWEEN 0 AND 10),
    safety          integer CHECK (safety BETWEEN 0 AND 10),
    not_for_trends  text CHECK (not_for_trends IS NULL OR length(not_for_trends) BETWEEN 1 AND 500),
    scheme_name     text NOT NULL,
    scheme_version  integer NOT NULL,
    created_at      text NOT NULL,
    updated_at      text NOT NULL,
    ended_at        text,
    change_seq      bigint NOT NULL DEFAULT 0,
    UNIQUE (case_uuid, number),
    UNIQUE (uuid, case_uuid),   -- target of coder_assignments' composite key
    FOREIGN KEY (scheme_name, scheme_version) REFERENCES attune.schemes (name, version)
);

-- A session given to a coder. case_uuid repeats the session's case (the
-- composite key guarantees it) so that the policies need not go through
-- sessions, which would make a cycle.
CREATE TABLE attune.coder_assignments (
    uuid          uuid PRIMARY KEY,
    session_uuid  uuid NOT NULL,
    case_uuid     uuid NOT NULL,
    person_uuid   uuid NOT NULL REFERENCES attune.people (uuid),
    assigned_by   uuid NOT NULL REFERENCES attune.people (uuid),
    created_at    text NOT NULL,
    change_seq    bigint NOT NULL DEFAULT 0,
    UNIQUE (session_uuid, person_uuid),
    FOREIGN KEY (session_uuid, case_uuid) REFERENCES attune.sessions (uuid, case_uuid)
);
CREATE INDEX coder_assignments_by_person ON attune.coder_assignments (person_uuid);

CREATE TABLE attune.observations (
    uuid          uuid PRIMARY KEY,
    session_uuid  uuid NOT NULL REFERENCES attune.sessions (uuid),
    rater_uuid    uuid NOT NULL REFERENCES attune.people (uuid),
    t             double precision NOT NULL CHECK (t >= 0),
    stop          double precision CHECK (stop IS NULL OR stop >= t),
    kind          text NOT NULL DEFAULT 'point' CHECK (kind IN ('point', 'state')),
    who           text NOT NULL CHECK (who IN ('A', 'B', 'both', 'therapist')),
    code_id       text NOT NULL CHECK (length(code_id) BETWEEN 1 AND 64),
    intensity     integer CHECK (intensity BETWEEN 1 AND 3),
    comment       text NOT NULL DEFAULT '' CHECK (length(comment) <= 2000),
    deleted       boolean NOT NULL DEFAULT false,
    created_at    text NOT NULL,
    updated_at    text NOT NULL,
    change_seq    bigint NOT NULL DEFAULT 0
);
CREATE INDEX observations_by_session ON attune.observations (session_uuid, rater_uuid);

-- DAP progress note, one per session. (Private process notes: none here.)
CREATE TABLE attune.progress_notes (
    uuid               uuid PRIMARY KEY,
    session_uuid       uuid NOT NULL UNIQUE REFERENCES attune.sessions (uuid),
    data               text NOT NULL DEFAULT '' CHECK (length(data) <= 50000),
    assessment         text NOT NULL DEFAULT '' CHECK (length(assessment) <= 50000),
    plan               text NOT NULL DEFAULT '' CHECK (length(plan) <= 50000),
    assessment_source  text NOT NULL DEFAULT 'clinician' CHECK (assessment_source IN ('clinician', 'accepted_draft')),
    updated_at         text NOT NULL,
    change_seq         bigint NOT NULL DEFAULT 0
);

-- role 'sign': the case's clinician; 'cosign': its supervisor, after a 'sign'.
-- layers: the raters whose coding the signed digest covers (the local
-- signature_layers); their observations of the session are sealed.
CREATE TABLE attune.signatures (
    uuid          uuid PRIMARY KEY,
    session_uuid  uuid NOT NULL REFERENCES attune.sessions (uuid),
    signer_uuid   uuid NOT NULL REFERENCES attune.people (uuid),
    role          text NOT NULL CHECK (role IN ('sign', 'cosign')),
    signed_at     text NOT NULL,
    note_sha256   text NOT NULL,
    digest        text NOT NULL DEFAULT '',
    signature     text NOT NULL DEFAULT '',
    signed_name   text NOT NULL DEFAULT '',
    signer_key    text NOT NULL DEFAULT '',
    layers        uuid[] NOT NULL DEFAULT '{}',
    change_seq    bigint NOT NULL DEFAULT 0,
    UNIQUE (session_uuid, role)
);

CREATE TABLE attune.addenda (
    uuid          uuid PRIMARY KEY,
    session_uuid  uuid NOT NULL REFERENCES attune.sessions (uuid),
    author_uuid   uuid NOT NULL REFERENCES attune.people (uuid),
    created_at    text NOT NULL,
    body          text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
    change_seq    bigint NOT NULL DEFAULT 0
);
CREATE INDEX addenda_by_session ON attune.addenda (session_uuid);

-- t: session-clock seconds of the moment the comment is about.
CREATE TABLE attune.review_comments (
    uuid          uuid PRIMARY KEY,
    session_uuid  uuid NOT NULL REFERENCES attune.sessions (uuid),
    author_uuid   uuid NOT NULL REFERENCES attune.people (uuid),
    t             double precision NOT NULL CHECK (t >= 0),
    body          text NOT NULL CHECK (length(body) BETWEEN 1 AND 5000),
    created_at    text NOT NULL,
    change_seq    bigint NOT NULL DEFAULT 0
);
CREATE INDEX review_comments_by_session ON attune.review_comments (session_uuid);

-- [SECTION] Audit. Rows pushed from a client's local chain (prev_hash, hash,
-- signature as the client computed them) and rows the server writes for each
-- pull (action 'pull', row_uuids: the rows handed out). login_name and
-- received_at are always stamped by the server, whatever the client sent.
CREATE TABLE attune.audit_log (
    uuid         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    at           text NOT NULL,
    actor_uuid   uuid NOT NULL REFERENCES attune.people (uuid),
    login_name   name NOT NULL DEFAULT current_user,
    received_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    action       text NOT NULL CHECK (length(action) BETWEEN 1 AND 100),
    entity       text NOT NULL DEFAULT '',
    entity_id    text NOT NULL DEFAULT '',
    detail       text NOT NULL DEFAULT '',
    row_uuids    uuid[] NOT NULL DEFAULT '{}',
    prev_hash    text NOT NULL DEFAULT '',
    hash         text NOT NULL DEFAULT '',
    signature    text NOT NULL DEFAULT '',
    change_seq   bigint NOT NULL DEFAULT 0
);
CREATE INDEX audit_log_by_actor ON attune.audit_log (actor_uuid, received_at);

-- [SECTION] Who is asking. Invoker functions: they read through the caller's
-- own row-level security, so they can never widen what the caller sees.
CREATE FUNCTION attune.me() RETURNS uuid
LANGUAGE sql STABLE SECURITY INVOKER
SET search_path = pg_catalog, attune
AS $$ SELECT person_uuid FROM attune.person_role WHERE login_name = current_user $$;

-- Cases the caller works on as a clinician: their own and those shared with them.
CREATE FUNCTION attune.my_cases() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY INVOKER
SET search_path = pg_catalog, attune
AS $$
    SELECT uuid FROM attune.cases WHERE clinician_uuid = attune.me()
    UNION
    SELECT case_uuid FROM attune.case_shares WHERE person_uuid = attune.me()
$$;

-- Cases whose named supervisor is the caller.
CREATE FUNCTION attune.supervised_cases() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY INVOKER
SET search_path = pg_catalog, attune
AS $$ SELECT uuid FROM attune.cases WHERE supervisor_uuid = attune.me() $$;

CREATE FUNCTION attune.my_sessions() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY INVOKER
SET search_path = pg_catalog, attune
AS $$ SELECT uuid FROM attune.sessions WHERE case_uuid IN (SELECT attune.my_cases()) $$;

CREATE FUNCTION attune.supervised_sessions() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY INVOKER
SET search_path = pg_catalog, attune
AS $$ SELECT uuid FROM attune.sessions WHERE case_uuid IN (SELECT attune.supervised_cases()) $$;

-- Sessions assigned to the caller as a coder.
CREATE FUNCTION attune.assigned_sessions() RETURNS SETOF uuid
LANGUAGE sql STABLE SECURITY INVOKER
SET search_path = pg_catalog, attune
AS $$ SELECT session_uuid FROM attune.coder_assignments WHERE person_uuid = attune.me() $$;

-- [SECTION] change_seq, and the horizon a pull may safely read up to.
--
-- A sequence number is taken when a row is written, not when its transaction
-- commits, so a row with a lower number can become visible after one with a
-- higher number. A pull that simply remembered the highest number it saw
-- would then skip the late row for ever. So every writing transaction holds a
-- shared advisory lock from its first stamped row until it ends, and
-- pull_horizon() takes the same lock exclusively for an instant: once it has
-- it, every transaction that drew a number up to the sequence's current value
-- has ended. A pull reads change_seq in (last, horizon], with a snapshot taken
-- after pull_horizon() returned (its own statement under READ COMMITTED, or a
-- REPEATABLE READ transaction begun after it).
CREATE FUNCTION attune.stamp_change_seq() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, attune
AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(7021462315);
    NEW.change_seq := nextval('attune.change_seq');
    RETURN NEW;
END
$$;

CREATE FUNCTION attune.pull_horizon() RETURNS bigint
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, attune
AS $$
DECLARE
    horizon bigint;
BEGIN
    PERFORM pg_advisory_lock(7021462315);
    SELECT CASE WHEN is_called THEN last_value ELSE 0 END INTO horizon FROM attune.change_seq;
    PERFORM pg_advisory_unlock(7021462315);
    RETURN horizon;
END
$$;

-- [SECTION] Seals, mirroring the local triggers (schema.cpp migrations 3 and
-- 4): once a session is signed, its note, its clock and ratings, and the
-- coding of the signed layers cannot change; signatures and addenda are
-- append-only; a co-signature needs a signature; an addendum needs a signed
-- note. These run as attune_guard so that they see every signature, not
-- only the caller's.
CREATE FUNCTION attune.layer_sealed(p_session uuid, p_rater uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, attune
AS $$ SELECT EXISTS (SELECT 1 FROM attune.signatures WHERE session_uuid = p_session AND p_rater = ANY (layers)) $$;

CREATE FUNCTION attune.session_signed(p_session uuid) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, attune
AS $$ SELECT EXISTS (SELECT 1 FROM attune.signatures WHERE session_uuid = p_session) $$;

CREATE FUNCTION attune.observations_seal() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, attune
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- The same row pushed again: let ON CONFLICT decide (nothing changes).
        IF EXISTS (SELECT 1 FROM attune.observations WHERE uuid = NEW.uuid) THEN
            RETURN NEW;
        END IF;
        IF attune.layer_sealed(NEW.session_uuid, NEW.rater_uuid) THEN
            RAISE EXCEPTION 'this session is signed: its coding is sealed; add an addendum instead'
                USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF attune.layer_sealed(OLD.session_uuid, OLD.rater_uuid)
       OR (TG_OP = 'UPDATE' AND attune.layer_sealed(NEW.session_uuid, NEW.rater_uuid)) THEN
        RAISE EXCEPTION 'this session is signed: its coding is sealed; add an addendum instead'
            USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION attune.progress_notes_seal() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, attune
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF EXISTS (SELECT 1 FROM attune.progress_notes WHERE uuid = NEW.uuid) THEN
            RETURN NEW;
        END IF;
        IF attune.session_signed(NEW.session_uuid) THEN
            RAISE EXCEPTION 'this note is signed; add an addendum instead' USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
    END IF;
    IF attune.session_signed(OLD.session_uuid)
       OR (TG_OP = 'UPDATE' AND attune.session_signed(NEW.session_uuid)) THEN
        RAISE EXCEPTION 'this note is signed; add an addendum instead' USING ERRCODE = 'check_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION attune.sessions_seal() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, attune
AS $$
BEGIN
    IF attune.session_signed(OLD.uuid) AND (
           OLD.attunement_a IS DISTINCT FROM NEW.attunement_a OR OLD.attunement_b IS DISTINCT FROM NEW.attunement_b
        OR OLD.safety IS DISTINCT FROM NEW.safety OR OLD.eft_stage IS DISTINCT FROM NEW.eft_stage
        OR OLD.eft_step IS DISTINCT FROM NEW.eft_step OR OLD.active_seconds IS DISTINCT FROM NEW.active_seconds
        OR OLD.uuid IS DISTINCT FROM NEW.uuid OR OLD.state IS DISTINCT FROM NEW.state
        OR OLD.date IS DISTINCT FROM NEW.date OR OLD.case_uuid IS DISTINCT FROM NEW.case_uuid) THEN
        RAISE EXCEPTION 'this session is signed: its date, ratings, stage and clock are sealed'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION attune.signatures_insert_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, attune
AS $$
BEGIN
    IF NEW.role = 'cosign' AND NOT EXISTS
        (SELECT 1 FROM attune.signatures WHERE session_uuid = NEW.session_uuid AND role = 'sign') THEN
        RAISE EXCEPTION 'the therapist has not signed this note yet' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE FUNCTION attune.addenda_insert_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, attune
AS $$
BEGIN
    IF NOT attune.session_signed(NEW.session_uuid) THEN
        RAISE EXCEPTION 'an addendum is for a signed note; edit the note itself instead'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

-- Only a case's own clinician shares it.
CREATE FUNCTION attune.case_shares_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, attune
AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM attune.cases WHERE uuid = NEW.case_uuid AND clinician_uuid = NEW.granted_by) THEN
        RAISE EXCEPTION 'only the case''s clinician may share it' USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

-- One refusal for every append-only table (UPDATE, DELETE and TRUNCATE).
-- Needs to see nothing, so it runs as the caller.
CREATE FUNCTION attune.refuse_change() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER
SET search_path = pg_catalog, attune
AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Only a case's own clinician may hand it to another clinician or name its
-- supervisor; a clinician it is shared with may not.
CREATE FUNCTION attune.cases_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER
SET search_path = pg_catalog, attune
AS $$
BEGIN
    IF (OLD.clinician_uuid IS DISTINCT FROM NEW.clinician_uuid
        OR OLD.supervisor_uuid IS DISTINCT FROM NEW.supervisor_uuid)
       AND OLD.clinician_uuid IS DISTINCT FROM attune.me() THEN
        RAISE EXCEPTION 'only the case''s clinician may change its clinician or supervisor'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END
$$;

-- The server, not the client, says who wrote an audit row and when it came.
CREATE FUNCTION attune.audit_stamp() RETURNS trigger
LANGUAGE plpgsql SECURITY INVOKER
SET search_path = pg_catalog, attune
AS $$
BEGIN
    NEW.login_name := current_user;
    NEW.received_at := clock_timestamp();
    RETURN NEW;
END
$$;

-- [SECTION] Auditing a pull. Called by the client once per table it pulled,
-- naming the rows it was handed; writes one audit row (action 'pull') in the
-- caller's name and returns its uuid. It runs as the caller, not as a
-- definer: the rows named must be rows the caller can see (so nobody can
-- probe for rows they cannot see, nor log reading them), and the row's actor
-- and login are the caller's by the audit table's policy and trigger.
CREATE FUNCTION attune.record_pull(p_table text, p_rows uuid[], p_since bigint, p_horizon bigint)
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
    IF p_table NOT IN ('people', 'practice_log', 'cases', 'participants', 'case_shares', 'sessions',
                       'coder_assignments', 'observations', 'progress_notes', 'signatures', 'addenda',
                       'review_comments') THEN
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

-- [SECTION] Triggers.
DO $stamps$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['people', 'person_role', 'practice_log', 'schemes', 'cases', 'participants',
                             'case_shares', 'sessions', 'coder_assignments', 'observations', 'progress_notes',
                             'signatures', 'addenda', 'review_comments', 'audit_log']
    LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON attune.%I '
                       'FOR EACH ROW EXECUTE FUNCTION attune.stamp_change_seq()', t || '_change_seq', t);
    END LOOP;
END
$stamps$;

CREATE TRIGGER observations_seal BEFORE INSERT OR UPDATE OR DELETE ON attune.observations
    FOR EACH ROW EXECUTE FUNCTION attune.observations_seal();
CREATE TRIGGER progress_notes_seal BEFORE INSERT OR UPDATE OR DELETE ON attune.progress_notes
    FOR EACH ROW EXECUTE FUNCTION attune.progress_notes_seal();
CREATE TRIGGER sessions_seal BEFORE UPDATE ON attune.sessions
    FOR EACH ROW EXECUTE FUNCTION attune.sessions_seal();
CREATE TRIGGER signatures_insert_check BEFORE INSERT ON attune.signatures
    FOR EACH ROW EXECUTE FUNCTION attune.signatures_insert_check();
CREATE TRIGGER addenda_insert_check BEFORE INSERT ON attune.addenda
    FOR EACH ROW EXECUTE FUNCTION attune.addenda_insert_check();
CREATE TRIGGER case_shares_check BEFORE INSERT ON attune.case_shares
    FOR EACH ROW EXECUTE FUNCTION attune.case_shares_check();
CREATE TRIGGER cases_guard BEFORE UPDATE ON attune.cases
    FOR EACH ROW EXECUTE FUNCTION attune.cases_guard();
CREATE TRIGGER audit_log_stamp BEFORE INSERT ON attune.audit_log
    FOR EACH ROW EXECUTE FUNCTION attune.audit_stamp();

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON attune.audit_log
    FOR EACH ROW EXECUTE FUNCTION attune.refuse_change('the audit log is append-only');
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON attune.audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION attune.refuse_change('the audit log is append-only');
CREATE TRIGGER signatures_append_only BEFORE UPDATE OR DELETE ON attune.signatures
    FOR EACH ROW EXECUTE FUNCTION attune.refuse_change('signatures cannot be changed');
CREATE TRIGGER signatures_no_truncate BEFORE TRUNCATE ON attune.signatures
    FOR EACH STATEMENT EXECUTE FUNCTION attune.refuse_change('signatures cannot be changed');
CREATE TRIGGER addenda_append_only BEFORE UPDATE OR DELETE ON attune.addenda
    FOR EACH ROW EXECUTE FUNCTION attune.refuse_change('addenda are append-only');
CREATE TRIGGER practice_log_append_only BEFORE UPDATE OR DELETE ON attune.practice_log
    FOR EACH ROW EXECUTE FUNCTION attune.refuse_change('the practice''s log of keys and roles is append-only');
CREATE TRIGGER schemes_fixed BEFORE UPDATE ON attune.schemes
    FOR EACH ROW EXECUTE FUNCTION attune.refuse_change('a stored coding scheme version cannot be changed');

-- [SECTION] Privileges. Nothing for PUBLIC; each group gets only the
-- commands its policies below give a meaning to. uuids, parents and authors
-- are not updatable; change_seq is the trigger's.
REVOKE ALL ON ALL TABLES IN SCHEMA attune FROM PUBLIC;
REVOKE ALL ON ALL SEQUENCES IN SCHEMA attune FROM PUBLIC;
REVOKE ALL ON ALL FUNCTIONS IN SCHEMA attune FROM PUBLIC;
GRANT EXECUTE ON FUNCTION attune.me(), attune.my_cases(), attune.supervised_cases(), attune.my_sessions(),
    attune.supervised_sessions(), attune.assigned_sessions(), attune.pull_horizon(),
    attune.record_pull(text, uuid[], bigint, bigint)
    TO attune_clinician, attune_supervisor, attune_coder, attune_admin;

GRANT SELECT ON attune.attune_schema_version, attune.people, attune.person_role, attune.practice_log,
    attune.schemes, attune.audit_log
    TO attune_clinician, attune_supervisor, attune_coder, attune_admin;
GRANT INSERT ON attune.audit_log TO attune_clinician, attune_supervisor, attune_coder, attune_admin;
GRANT INSERT ON attune.schemes TO attune_clinician, attune_supervisor, attune_admin;
GRANT INSERT, UPDATE (name, role, public_key, updated_at) ON attune.people TO attune_admin;
GRANT INSERT, DELETE ON attune.person_role TO attune_admin;
GRANT INSERT ON attune.practice_log TO attune_admin;

GRANT SELECT ON attune.cases, attune.coder_assignments TO attune_clinician, attune_supervisor, attune_admin;
GRANT SELECT ON attune.case_shares TO attune_clinician, attune_admin;
GRANT SELECT ON attune.participants, attune.progress_notes, attune.signatures, attune.addenda,
    attune.review_comments TO attune_clinician, attune_supervisor;
GRANT SELECT ON attune.sessions, attune.observations TO attune_clinician, attune_supervisor, attune_coder;
GRANT SELECT ON attune.coder_assignments TO attune_coder;

GRANT INSERT, UPDATE (label, clinician_uuid, supervisor_uuid, start_date, status, goals, updated_at)
    ON attune.cases TO attune_clinician;
GRANT INSERT, UPDATE (display_name, attachment_style, cycle_position, updated_at)
    ON attune.participants TO attune_clinician;
GRANT INSERT, DELETE ON attune.case_shares, attune.coder_assignments TO attune_clinician;
GRANT INSERT, UPDATE (number, date, start_time, state, active_seconds, eft_stage, eft_step, attunement_a,
    attunement_b, safety, not_for_trends, updated_at, ended_at) ON attune.sessions TO attune_clinician;
GRANT INSERT, UPDATE (t, stop, kind, who, code_id, intensity, comment, deleted, updated_at), DELETE
    ON attune.observations TO attune_clinician, attune_supervisor, attune_coder;
GRANT INSERT, UPDATE (data, assessment, plan, assessment_source, updated_at), DELETE
    ON attune.progress_notes TO attune_clinician;
GRANT INSERT ON attune.signatures, attune.review_comments TO attune_clinician, attune_supervisor;
GRANT INSERT ON attune.addenda TO attune_clinician;

-- [SECTION] Row-level security: enabled and forced on every table.
DO $rls$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'attune' AND c.relkind = 'r'
    LOOP
        EXECUTE format('ALTER TABLE attune.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE attune.%I FORCE ROW LEVEL SECURITY', t);
    END LOOP;
END
$rls$;

-- Policies are permissive: a person in several groups gets the sum of them.
-- In every expression, (SELECT attune.me()) is evaluated once per statement.

-- Shared by the whole practice: the schema's version, the people and their
-- public keys (every client verifies signatures with them), the log of keys
-- and roles, the coding schemes.
CREATE POLICY all_read ON attune.attune_schema_version FOR SELECT
    TO attune_clinician, attune_supervisor, attune_coder, attune_admin USING (true);
-- The role that runs this migration (the schema's owner) reads the version
-- and later migrations add their rows: `attune server init` reads it to know
-- what is left to apply. Forced row-level security would hide it otherwise.
CREATE POLICY owner_all ON attune.attune_schema_version TO CURRENT_USER USING (true) WITH CHECK (true);
CREATE POLICY all_read ON attune.people FOR SELECT
    TO attune_clinician, attune_supervisor, attune_coder, attune_admin USING (true);
CREATE POLICY admin_insert ON attune.people FOR INSERT TO attune_admin WITH CHECK (true);
CREATE POLICY admin_update ON attune.people FOR UPDATE TO attune_admin USING (true) WITH CHECK (true);
CREATE POLICY all_read ON attune.practice_log FOR SELECT
    TO attune_clinician, attune_supervisor, attune_coder, attune_admin USING (true);
CREATE POLICY admin_insert ON attune.practice_log FOR INSERT TO attune_admin WITH CHECK (true);
CREATE POLICY all_read ON attune.schemes FOR SELECT
    TO attune_clinician, attune_supervisor, attune_coder, attune_admin USING (true);
CREATE POLICY writer_insert ON attune.schemes FOR INSERT
    TO attune_clinician, attune_supervisor, attune_admin WITH CHECK (true);

-- Logins: each sees its own mapping; the administrator keeps them all.
CREATE POLICY own_read ON attune.person_role FOR SELECT
    TO attune_clinician, attune_supervisor, attune_coder, attune_admin USING (login_name = current_user);
CREATE POLICY admin_read ON attune.person_role FOR SELECT TO attune_admin USING (true);
CREATE POLICY admin_insert ON attune.person_role FOR INSERT TO attune_admin WITH CHECK (true);
CREATE POLICY admin_delete ON attune.person_role FOR DELETE TO attune_admin USING (true);

-- Cases. The administrator sees the practice's caseload (labels, who treats
-- and who supervises), none of its sessions, coding or notes.
CREATE POLICY clinician_read ON attune.cases FOR SELECT TO attune_clinician
    USING (clinician_uuid = (SELECT attune.me())
           OR uuid IN (SELECT case_uuid FROM attune.case_shares WHERE person_uuid = (SELECT attune.me())));
CREATE POLICY supervisor_read ON attune.cases FOR SELECT TO attune_supervisor
    USING (supervisor_uuid = (SELECT attune.me()));
CREATE POLICY admin_read ON attune.cases FOR SELECT TO attune_admin USING (true);
CREATE POLICY clinician_insert ON attune.cases FOR INSERT TO attune_clinician
    WITH CHECK (clinician_uuid = (SELECT attune.me()));
-- Handing a case on is allowed to its own clinician only (trigger cases_guard).
CREATE POLICY clinician_update ON attune.cases FOR UPDATE TO attune_clinician
    USING (uuid IN (SELECT attune.my_cases())) WITH CHECK (true);

CREATE POLICY clinician_read ON attune.case_shares FOR SELECT TO attune_clinician
    USING (person_uuid = (SELECT attune.me()) OR granted_by = (SELECT attune.me()));
CREATE POLICY admin_read ON attune.case_shares FOR SELECT TO attune_admin USING (true);
-- That granted_by is the case's clinician is checked by the trigger
-- case_shares_check (a policy here reading cases would make a cycle).
CREATE POLICY clinician_insert ON attune.case_shares FOR INSERT TO attune_clinician
    WITH CHECK (granted_by = (SELECT attune.me()));
CREATE POLICY clinician_delete ON attune.case_shares FOR DELETE TO attune_clinician
    USING (granted_by = (SELECT attune.me()));

CREATE POLICY clinician_read ON attune.participants FOR SELECT TO attune_clinician
    USING (case_uuid IN (SELECT attune.my_cases()));
CREATE POLICY supervisor_read ON attune.participants FOR SELECT TO attune_supervisor
    USING (case_uuid IN (SELECT attune.supervised_cases()));
CREATE POLICY clinician_insert ON attune.participants FOR INSERT TO attune_clinician
    WITH CHECK (case_uuid IN (SELECT attune.my_cases()));
CREATE POLICY clinician_update ON attune.participants FOR UPDATE TO attune_clinician
    USING (case_uuid IN (SELECT attune.my_cases())) WITH CHECK (case_uuid IN (SELECT attune.my_cases()));

-- Sessions.
CREATE POLICY clinician_read ON attune.sessions FOR SELECT TO attune_clinician
    USING (case_uuid IN (SELECT attune.my_cases()));
CREATE POLICY supervisor_read ON attune.sessions FOR SELECT TO attune_supervisor
    USING (case_uuid IN (SELECT attune.supervised_cases()));
CREATE POLICY coder_read ON attune.sessions FOR SELECT TO attune_coder
    USING (uuid IN (SELECT attune.assigned_sessions()));
CREATE POLICY clinician_insert ON attune.sessions FOR INSERT TO attune_clinician
    WITH CHECK (case_uuid IN (SELECT attune.my_cases()));
CREATE POLICY clinician_update ON attune.sessions FOR UPDATE TO attune_clinician
    USING (case_uuid IN (SELECT attune.my_cases())) WITH CHECK (case_uuid IN (SELECT attune.my_cases()));

CREATE POLICY clinician_read ON attune.coder_assignments FOR SELECT TO attune_clinician
    USING (case_uuid IN (SELECT attune.my_cases()));
CREATE POLICY supervisor_read ON attune.coder_assignments FOR SELECT TO attune_supervisor
    USING (case_uuid IN (SELECT attune.supervised_cases()));
CREATE POLICY coder_read ON attune.coder_assignments FOR SELECT TO attune_coder
    USING (person_uuid = (SELECT attune.me()));
CREATE POLICY admin_read ON attune.coder_assignments FOR SELECT TO attune_admin USING (true);
CREATE POLICY clinician_insert ON attune.coder_assignments FOR INSERT TO attune_clinician
    WITH CHECK (assigned_by = (SELECT attune.me()) AND case_uuid IN (SELECT attune.my_cases()));
CREATE POLICY clinician_delete ON attune.coder_assignments FOR DELETE TO attune_clinician
    USING (case_uuid IN (SELECT attune.my_cases()));

-- Observations: everyone writes only their own (rater = themselves); the
-- clinicians and the supervisor of a case read all of its raters' coding; a
-- coder reads only their own coding of the sessions assigned to them (so
-- that their coding stays independent).
CREATE POLICY clinician_read ON attune.observations FOR SELECT TO attune_clinician
    USING (session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY supervisor_read ON attune.observations FOR SELECT TO attune_supervisor
    USING (session_uuid IN (SELECT attune.supervised_sessions()));
CREATE POLICY coder_read ON attune.observations FOR SELECT TO attune_coder
    USING (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.assigned_sessions()));
CREATE POLICY clinician_insert ON attune.observations FOR INSERT TO attune_clinician
    WITH CHECK (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY clinician_update ON attune.observations FOR UPDATE TO attune_clinician
    USING (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.my_sessions()))
    WITH CHECK (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY clinician_delete ON attune.observations FOR DELETE TO attune_clinician
    USING (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY supervisor_insert ON attune.observations FOR INSERT TO attune_supervisor
    WITH CHECK (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.supervised_sessions()));
CREATE POLICY supervisor_update ON attune.observations FOR UPDATE TO attune_supervisor
    USING (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.supervised_sessions()))
    WITH CHECK (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.supervised_sessions()));
CREATE POLICY supervisor_delete ON attune.observations FOR DELETE TO attune_supervisor
    USING (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.supervised_sessions()));
CREATE POLICY coder_insert ON attune.observations FOR INSERT TO attune_coder
    WITH CHECK (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.assigned_sessions()));
CREATE POLICY coder_update ON attune.observations FOR UPDATE TO attune_coder
    USING (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.assigned_sessions()))
    WITH CHECK (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.assigned_sessions()));
CREATE POLICY coder_delete ON attune.observations FOR DELETE TO attune_coder
    USING (rater_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.assigned_sessions()));

-- Progress notes: written by the case's clinicians, read by its supervisor.
CREATE POLICY clinician_read ON attune.progress_notes FOR SELECT TO attune_clinician
    USING (session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY supervisor_read ON attune.progress_notes FOR SELECT TO attune_supervisor
    USING (session_uuid IN (SELECT attune.supervised_sessions()));
CREATE POLICY clinician_insert ON attune.progress_notes FOR INSERT TO attune_clinician
    WITH CHECK (session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY clinician_update ON attune.progress_notes FOR UPDATE TO attune_clinician
    USING (session_uuid IN (SELECT attune.my_sessions())) WITH CHECK (session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY clinician_delete ON attune.progress_notes FOR DELETE TO attune_clinician
    USING (session_uuid IN (SELECT attune.my_sessions()));

-- Signatures: the case's own clinician signs, its supervisor co-signs, each
-- in their own name.
CREATE POLICY clinician_read ON attune.signatures FOR SELECT TO attune_clinician
    USING (session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY supervisor_read ON attune.signatures FOR SELECT TO attune_supervisor
    USING (session_uuid IN (SELECT attune.supervised_sessions()));
CREATE POLICY clinician_insert ON attune.signatures FOR INSERT TO attune_clinician
    WITH CHECK (role = 'sign' AND signer_uuid = (SELECT attune.me())
                AND session_uuid IN (SELECT s.uuid FROM attune.sessions s JOIN attune.cases c ON c.uuid = s.case_uuid
                                     WHERE c.clinician_uuid = (SELECT attune.me())));
CREATE POLICY supervisor_insert ON attune.signatures FOR INSERT TO attune_supervisor
    WITH CHECK (role = 'cosign' AND signer_uuid = (SELECT attune.me())
                AND session_uuid IN (SELECT attune.supervised_sessions()));

CREATE POLICY clinician_read ON attune.addenda FOR SELECT TO attune_clinician
    USING (session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY supervisor_read ON attune.addenda FOR SELECT TO attune_supervisor
    USING (session_uuid IN (SELECT attune.supervised_sessions()));
CREATE POLICY clinician_insert ON attune.addenda FOR INSERT TO attune_clinician
    WITH CHECK (author_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.my_sessions()));

CREATE POLICY clinician_read ON attune.review_comments FOR SELECT TO attune_clinician
    USING (session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY supervisor_read ON attune.review_comments FOR SELECT TO attune_supervisor
    USING (session_uuid IN (SELECT attune.supervised_sessions()));
CREATE POLICY clinician_insert ON attune.review_comments FOR INSERT TO attune_clinician
    WITH CHECK (author_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.my_sessions()));
CREATE POLICY supervisor_insert ON attune.review_comments FOR INSERT TO attune_supervisor
    WITH CHECK (author_uuid = (SELECT attune.me()) AND session_uuid IN (SELECT attune.supervised_sessions()));

-- Audit: everyone appends rows in their own name and reads their own; the
-- administrator reads all. Nobody has UPDATE, DELETE or TRUNCATE, and the
-- triggers above refuse them even to the owner and to a superuser.
CREATE POLICY own_read ON attune.audit_log FOR SELECT
    TO attune_clinician, attune_supervisor, attune_coder, attune_admin USING (actor_uuid = (SELECT attune.me()));
CREATE POLICY admin_read ON attune.audit_log FOR SELECT TO attune_admin USING (true);
CREATE POLICY own_insert ON attune.audit_log FOR INSERT
    TO attune_clinician, attune_supervisor, attune_coder, attune_admin
    WITH CHECK (actor_uuid = (SELECT attune.me()));

-- The guard reads the key columns its seal checks need, on every row.
CREATE POLICY guard_read ON attune.signatures FOR SELECT TO attune_guard USING (true);
CREATE POLICY guard_read ON attune.observations FOR SELECT TO attune_guard USING (true);
CREATE POLICY guard_read ON attune.progress_notes FOR SELECT TO attune_guard USING (true);
CREATE POLICY guard_read ON attune.cases FOR SELECT TO attune_guard USING (true);

-- [SECTION] The guard's ownership and its narrow reads. The migrating role
-- joins attune_guard only to hand it the functions, and leaves it again.
GRANT attune_guard TO CURRENT_USER;
GRANT CREATE ON SCHEMA attune TO attune_guard;
ALTER FUNCTION attune.stamp_change_seq() OWNER TO attune_guard;
ALTER FUNCTION attune.pull_horizon() OWNER TO attune_guard;
ALTER FUNCTION attune.layer_sealed(uuid, uuid) OWNER TO attune_guard;
ALTER FUNCTION attune.session_signed(uuid) OWNER TO attune_guard;
ALTER FUNCTION attune.observations_seal() OWNER TO attune_guard;
ALTER FUNCTION attune.progress_notes_seal() OWNER TO attune_guard;
ALTER FUNCTION attune.sessions_seal() OWNER TO attune_guard;
ALTER FUNCTION attune.signatures_insert_check() OWNER TO attune_guard;
ALTER FUNCTION attune.addenda_insert_check() OWNER TO attune_guard;
ALTER FUNCTION attune.case_shares_check() OWNER TO attune_guard;
REVOKE CREATE ON SCHEMA attune FROM attune_guard;
REVOKE attune_guard FROM CURRENT_USER;

GRANT USAGE, SELECT ON SEQUENCE attune.change_seq TO attune_guard;
GRANT SELECT (uuid, session_uuid, role, layers) ON attune.signatures TO attune_guard;
GRANT SELECT (uuid) ON attune.observations TO attune_guard;
GRANT SELECT (uuid) ON attune.progress_notes TO attune_guard;
GRANT SELECT (uuid, clinician_uuid) ON attune.cases TO attune_guard;
