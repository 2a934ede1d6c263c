#!/usr/bin/env bash
# Checks the practice server's schema and access rules (issue 21) against a
# throwaway PostgreSQL 15 cluster of its own: initdb into a temporary folder,
# a Unix socket in it and 127.0.0.1 on a free port (TLS only), SCRAM-SHA-256
# for every login; as root, the cluster runs as the unprivileged user attune-pgtest.
# The schema is loaded by a non-superuser owner; people are login roles.
# Prints one line per check and "N passed, M failed"; exits 1 when a check
# fails, 2 when the cluster or the setup could not be made.
#
#   tests/server/run_schema_tests.sh
#
# ATTUNE_TEST_MUTATION: SQL run by the superuser right after the schema is
# loaded, to prove that checks fail when a rule is taken away (for example
# "ALTER TABLE attune.cases DISABLE ROW LEVEL SECURITY").
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
schema=${ATTUNE_SERVER_SCHEMA:-$here/../../src/store/server_schema/001_init.sql}
[[ -r $schema ]] || { echo "cannot read $schema" >&2; exit 2; }

# [SECTION] The cluster (tests/server/throwaway_cluster.sh, shared with the C++ tests).
. "$here/throwaway_cluster.sh"
trap cluster_stop EXIT
trap 'exit 130' INT TERM
cluster_start || exit 2

secret() { head -c 18 /dev/urandom | base64 | tr -d '/+='; }
owner=attune_test_owner
db=attune_test
declare -A pw
for r in $owner ada lee kim sam cody; do pw[$r]=$(secret); done
for r in "${!pw[@]}"; do printf '*:*:*:%s:%s\n' "$r" "${pw[$r]}" >> "$tmp/pgpass"; done
export PGPASSFILE=$tmp/pgpass PGCONNECT_TIMEOUT=10
unset PGHOST PGPORT PGUSER PGDATABASE PGOPTIONS PGSERVICE PGPASSWORD

# q ROLE SQL [DB]: runs SQL (statements read from standard input) as ROLE
# over the Unix socket; unaligned, tuples only, stops at the first error.
q() {
    "$pgbin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h "$tmp/sock" -p "$port" -U "$1" -d "${3:-$db}" -f - <<<"$2"
}

passed=0; failed=0; n=0
ok()  { n=$((n + 1)); passed=$((passed + 1)); printf 'ok   %2d %s\n' "$n" "$1"; }
bad() { n=$((n + 1)); failed=$((failed + 1)); printf 'FAIL %2d %s: %s\n' "$n" "$1" "$2"; }
# check NAME ROLE EXPECTED SQL: the output must be EXPECTED exactly.
check() {
    local got rc
    got=$(q "$2" "$4" 2>&1); rc=$?
    if [[ $rc -eq 0 && $got == "$3" ]]; then ok "$1"; else bad "$1" "expected [$3], got [${got//$'\n'/ / }] (exit $rc)"; fi
}
# refused NAME ROLE PATTERN SQL: psql must fail with an error matching PATTERN.
refused() {
    local got rc
    got=$(q "$2" "$4" 2>&1); rc=$?
    if [[ $rc -ne 0 ]] && grep -qiE -- "$3" <<<"$got"; then
        ok "$1 (refused: $(grep -m1 -oE 'ERROR: .*' <<<"$got" | cut -c8-90))"
    else
        bad "$1" "expected an error matching /$3/, got [${got//$'\n'/ / }] (exit $rc)"
    fi
}
# setup ROLE SQL: must succeed, or the run stops.
setup() {
    local got
    if ! got=$(q "$1" "$2" "${3:-$db}" 2>&1); then
        bad "setup as $1" "$got"; echo "$passed passed, $failed failed"; exit 1
    fi
}

# [SECTION] Roles and the schema, loaded by a non-superuser owner.
setup $super "CREATE ROLE $owner LOGIN CREATEROLE PASSWORD '${pw[$owner]}';
CREATE DATABASE $db OWNER $owner;
REVOKE ALL ON DATABASE $db FROM PUBLIC;" postgres
load=$("$pgbin/psql" -X -q -v ON_ERROR_STOP=1 --single-transaction -h "$tmp/sock" -p "$port" -U $owner -d $db \
       -f "$schema" 2>&1); rc=$?
if [[ $rc -eq 0 && -z $load ]]; then
    ok "001_init.sql loads in one transaction as a non-superuser owner, without a notice or warning"
else
    bad "001_init.sql loads as a non-superuser owner" "exit $rc: ${load//$'\n'/ / }"
    [[ $rc -eq 0 ]] || { echo "$passed passed, $failed failed"; exit 1; }
fi
if [[ -n ${ATTUNE_TEST_MUTATION:-} ]]; then
    echo "# mutation: $ATTUNE_TEST_MUTATION"
    setup $super "$ATTUNE_TEST_MUTATION"
fi

setup $owner "
CREATE ROLE ada LOGIN PASSWORD '${pw[ada]}' IN ROLE attune_admin;
CREATE ROLE lee LOGIN PASSWORD '${pw[lee]}' IN ROLE attune_clinician;
CREATE ROLE kim LOGIN PASSWORD '${pw[kim]}' IN ROLE attune_clinician;
CREATE ROLE sam LOGIN PASSWORD '${pw[sam]}' IN ROLE attune_supervisor, attune_clinician;
CREATE ROLE cody LOGIN PASSWORD '${pw[cody]}' IN ROLE attune_coder;
GRANT CONNECT ON DATABASE $db TO attune_clinician, attune_supervisor, attune_coder, attune_admin;"

# [SECTION] Data, written by each person as themselves.
P_ADA=10000000-0000-4000-8000-000000000001; P_LEE=10000000-0000-4000-8000-000000000002
P_KIM=10000000-0000-4000-8000-000000000003; P_SAM=10000000-0000-4000-8000-000000000004
P_CODY=10000000-0000-4000-8000-000000000005
C_LEE=20000000-0000-4000-8000-000000000001; C_KIM=20000000-0000-4000-8000-000000000002
S_LEE1=30000000-0000-4000-8000-000000000001; S_LEE2=30000000-0000-4000-8000-000000000002
S_KIM1=30000000-0000-4000-8000-000000000003
O_LEE1=40000000-0000-4000-8000-000000000001; O_LEE2=40000000-0000-4000-8000-000000000002
O_LEE3=40000000-0000-4000-8000-000000000003; O_KIM1=40000000-0000-4000-8000-000000000004
O_CODY1=40000000-0000-4000-8000-000000000005; O_LEE4=40000000-0000-4000-8000-000000000006
O_LEE5=40000000-0000-4000-8000-000000000007
N_LEE1=50000000-0000-4000-8000-000000000001; N_LEE2=50000000-0000-4000-8000-000000000002
N_KIM1=50000000-0000-4000-8000-000000000003
T0=2025-03-01T10:00:00Z

setup ada "
INSERT INTO attune.people (uuid, name, role, public_key, created_at, updated_at) VALUES
  ('$P_ADA', 'Ada', 'clinician', 'aa', '$T0', '$T0'), ('$P_LEE', 'Lee', 'clinician', 'bb', '$T0', '$T0'),
  ('$P_KIM', 'Kim', 'clinician', 'cc', '$T0', '$T0'), ('$P_SAM', 'Sam', 'supervisor', 'dd', '$T0', '$T0'),
  ('$P_CODY', 'Cody', 'coder', 'ee', '$T0', '$T0');
INSERT INTO attune.person_role (login_name, person_uuid) VALUES
  ('ada', '$P_ADA'), ('lee', '$P_LEE'), ('kim', '$P_KIM'), ('sam', '$P_SAM'), ('cody', '$P_CODY');
INSERT INTO attune.practice_log (uuid, sequence, kind, person_uuid, person_name, public_key, signer_uuid, at, signature)
VALUES ('d0000000-0000-4000-8000-000000000001', 1, 'key', '$P_LEE', 'Lee', 'bb', '$P_ADA', '$T0', 'sig');"

# Lee's push, written to be pushed again unchanged (idempotent by uuid).
lee_push="
INSERT INTO attune.schemes (name, version, content, created_at) VALUES ('default', 1, '{}', '$T0') ON CONFLICT DO NOTHING;
INSERT INTO attune.cases (uuid, label, clinician_uuid, supervisor_uuid, start_date, goals, scheme_name, scheme_version,
                          created_at, updated_at)
VALUES ('$C_LEE', 'Lee couple', '$P_LEE', '$P_SAM', '2025-01-06', 'name the cycle', 'default', 1, '$T0', '$T0')
ON CONFLICT (uuid) DO NOTHING;
INSERT INTO attune.participants (uuid, case_uuid, role, display_name, updated_at) VALUES
  ('60000000-0000-4000-8000-000000000001', '$C_LEE', 'A', 'Alex', '$T0'),
  ('60000000-0000-4000-8000-000000000002', '$C_LEE', 'B', 'Blair', '$T0') ON CONFLICT (uuid) DO NOTHING;
INSERT INTO attune.sessions (uuid, case_uuid, number, date, state, active_seconds, safety, scheme_name, scheme_version,
                             created_at, updated_at) VALUES
  ('$S_LEE1', '$C_LEE', 1, '2025-03-01', 'ended', 3000, 7, 'default', 1, '$T0', '$T0'),
  ('$S_LEE2', '$C_LEE', 2, '2025-03-08', 'ended', 3100, 8, 'default', 1, '$T0', '$T0') ON CONFLICT (uuid) DO NOTHING;
INSERT INTO attune.observations (uuid, session_uuid, rater_uuid, t, who, code_id, created_at, updated_at) VALUES
  ('$O_LEE1', '$S_LEE1', '$P_LEE', 12.5, 'A', 'protest', '$T0', '$T0'),
  ('$O_LEE2', '$S_LEE1', '$P_LEE', 15.0, 'B', 'shut_down', '$T0', '$T0'),
  ('$O_LEE3', '$S_LEE2', '$P_LEE', 40.0, 'A', 'reflect', '$T0', '$T0') ON CONFLICT (uuid) DO NOTHING;
INSERT INTO attune.progress_notes (uuid, session_uuid, data, assessment, plan, updated_at) VALUES
  ('$N_LEE1', '$S_LEE1', 'Lee data 1', 'pursue-withdraw', 'continue', '$T0'),
  ('$N_LEE2', '$S_LEE2', 'Lee data 2', 'softer', 'continue', '$T0') ON CONFLICT (uuid) DO NOTHING;
INSERT INTO attune.coder_assignments (uuid, session_uuid, case_uuid, person_uuid, assigned_by, created_at)
VALUES ('b0000000-0000-4000-8000-000000000001', '$S_LEE2', '$C_LEE', '$P_CODY', '$P_LEE', '$T0')
ON CONFLICT (uuid) DO NOTHING;
INSERT INTO attune.signatures (uuid, session_uuid, signer_uuid, role, signed_at, note_sha256, layers)
VALUES ('70000000-0000-4000-8000-000000000001', '$S_LEE1', '$P_LEE', 'sign', '$T0', 'ab12', ARRAY['$P_LEE']::uuid[])
ON CONFLICT (uuid) DO NOTHING;
INSERT INTO attune.addenda (uuid, session_uuid, author_uuid, created_at, body)
VALUES ('80000000-0000-4000-8000-000000000001', '$S_LEE1', '$P_LEE', '$T0', 'late addendum') ON CONFLICT (uuid) DO NOTHING;
INSERT INTO attune.audit_log (uuid, at, actor_uuid, action, entity, entity_id)
VALUES ('c0000000-0000-4000-8000-000000000001', '$T0', '$P_LEE', 'create', 'case', '$C_LEE') ON CONFLICT (uuid) DO NOTHING;"
setup lee "$lee_push"

setup kim "
INSERT INTO attune.schemes (name, version, content, created_at) VALUES ('default', 1, '{}', '$T0') ON CONFLICT DO NOTHING;
INSERT INTO attune.cases (uuid, label, clinician_uuid, start_date, scheme_name, scheme_version, created_at, updated_at)
VALUES ('$C_KIM', 'Kim couple', '$P_KIM', '2025-02-03', 'default', 1, '$T0', '$T0');
INSERT INTO attune.participants (uuid, case_uuid, role, display_name, updated_at) VALUES
  ('60000000-0000-4000-8000-000000000003', '$C_KIM', 'A', 'Casey', '$T0');
INSERT INTO attune.sessions (uuid, case_uuid, number, date, scheme_name, scheme_version, created_at, updated_at)
VALUES ('$S_KIM1', '$C_KIM', 1, '2025-03-02', 'default', 1, '$T0', '$T0');
INSERT INTO attune.observations (uuid, session_uuid, rater_uuid, t, who, code_id, created_at, updated_at)
VALUES ('$O_KIM1', '$S_KIM1', '$P_KIM', 5, 'B', 'validate', '$T0', '$T0');
INSERT INTO attune.progress_notes (uuid, session_uuid, data, updated_at) VALUES ('$N_KIM1', '$S_KIM1', 'Kim data', '$T0');
INSERT INTO attune.case_shares (uuid, case_uuid, person_uuid, granted_by, created_at)
VALUES ('a0000000-0000-4000-8000-000000000001', '$C_KIM', '$P_LEE', '$P_KIM', '$T0');"

setup sam "
INSERT INTO attune.review_comments (uuid, session_uuid, author_uuid, t, body, created_at)
VALUES ('90000000-0000-4000-8000-000000000001', '$S_LEE1', '$P_SAM', 14, 'the withdraw after the protest', '$T0');
INSERT INTO attune.signatures (uuid, session_uuid, signer_uuid, role, signed_at, note_sha256)
VALUES ('70000000-0000-4000-8000-000000000002', '$S_LEE1', '$P_SAM', 'cosign', '$T0', 'ab12');"

setup cody "
INSERT INTO attune.observations (uuid, session_uuid, rater_uuid, t, who, code_id, created_at, updated_at)
VALUES ('$O_CODY1', '$S_LEE2', '$P_CODY', 41, 'A', 'reflect', '$T0', '$T0');"

# [SECTION] The schema's own promises.
check "schema version is 1" lee "1" "SELECT max(version) FROM attune.attune_schema_version"
check "row-level security is enabled and forced on every table (16 tables)" $super "16|0" "
SELECT count(*), count(*) FILTER (WHERE NOT (c.relrowsecurity AND c.relforcerowsecurity))
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'attune' AND c.relkind = 'r'"
check "every table but the version table has change_seq" $super "0" "
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'attune' AND c.relkind = 'r' AND c.relname <> 'attune_schema_version'
  AND NOT EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname = 'change_seq')"
check "no table for private process notes on the server" $super "0" "
SELECT count(*) FROM information_schema.columns WHERE table_schema = 'attune'
  AND (table_name ILIKE '%process%' OR column_name ILIKE '%process%')"
check "every login's password is stored as SCRAM-SHA-256" $super "7|0" "
SELECT count(*), count(*) FILTER (WHERE rolpassword NOT LIKE 'SCRAM-SHA-256\$%') FROM pg_authid WHERE rolcanlogin"
# Over TCP only with TLS that checks the cluster's certificate (sslmode=verify-full).
got=$(PGPASSWORD=${pw[lee]} PGPASSFILE=/dev/null "$pgbin/psql" -X -A -t \
      "host=localhost port=$port user=lee dbname=$db sslmode=verify-full sslrootcert=$ca" \
      -c "SELECT current_user, ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()" 2>&1)
tcp_ok=$?
got2=$(PGPASSWORD=wrong PGPASSFILE=/dev/null "$pgbin/psql" -X -A -t \
       "host=localhost port=$port user=lee dbname=$db sslmode=verify-full sslrootcert=$ca" -c "SELECT 1" 2>&1)
tcp_wrong=$?
if [[ $tcp_ok -eq 0 && $got == "lee|t" && $tcp_wrong -ne 0 ]] && grep -q "password authentication failed" <<<"$got2"; then
    ok "Lee signs in over TLS to localhost with his password; a wrong password is refused"
else
    bad "SCRAM sign-in over TLS" "right: exit $tcp_ok [$got]; wrong: exit $tcp_wrong [$got2]"
fi
got=$(PGPASSWORD=${pw[lee]} PGPASSFILE=/dev/null "$pgbin/psql" -X -A -t \
      "host=127.0.0.1 port=$port user=lee dbname=$db sslmode=disable" -c "SELECT 1" 2>&1)
tcp_plain=$?
if [[ $tcp_plain -ne 0 ]] && grep -q 'pg_hba.conf rejects connection for host "127.0.0.1", user "lee", database "attune_test", no encryption' <<<"$got"; then
    ok "a TCP login without TLS is rejected by pg_hba.conf"
else
    bad "TCP without TLS" "exit $tcp_plain [$got]"
fi
check "pg_hba: SCRAM-SHA-256 on the socket and over TLS, TCP without TLS rejected" $super \
    "hostnossl reject,hostssl scram-sha-256,local scram-sha-256" \
    "SELECT string_agg(DISTINCT type || ' ' || auth_method, ',' ORDER BY type || ' ' || auth_method) FROM pg_hba_file_rules"
check "the schema's owner (not a superuser) reads no case: forced row-level security binds it too" $owner "0|0" "
SELECT (SELECT count(*) FROM attune.cases), (SELECT count(*) FROM attune.observations)"
check "the administrator sees the caseload (both cases) and every person" ada "2|5" "
SELECT (SELECT count(*) FROM attune.cases), (SELECT count(*) FROM attune.people)"
refused "the administrator reads no session" ada "permission denied" "SELECT count(*) FROM attune.sessions"

# [SECTION] Clinicians: their own cases and those shared with them.
check "Kim's cases are hers only" kim "Kim couple" "SELECT string_agg(label, ',' ORDER BY label) FROM attune.cases"
check "Kim sees zero of Lee's cases, participants, sessions, observations, notes, signatures, addenda, comments, assignments" kim \
      "0|0|0|0|0|0|0|0|0" "
SELECT (SELECT count(*) FROM attune.cases WHERE uuid = '$C_LEE' OR clinician_uuid = '$P_LEE'),
       (SELECT count(*) FROM attune.participants WHERE case_uuid = '$C_LEE'),
       (SELECT count(*) FROM attune.sessions WHERE uuid IN ('$S_LEE1', '$S_LEE2') OR case_uuid = '$C_LEE'),
       (SELECT count(*) FROM attune.observations WHERE rater_uuid <> '$P_KIM' OR session_uuid IN ('$S_LEE1', '$S_LEE2')),
       (SELECT count(*) FROM attune.progress_notes WHERE session_uuid <> '$S_KIM1'),
       (SELECT count(*) FROM attune.signatures), (SELECT count(*) FROM attune.addenda),
       (SELECT count(*) FROM attune.review_comments), (SELECT count(*) FROM attune.coder_assignments)"
check "Kim sees her own session, observation and note" kim "1|1|1" "
SELECT (SELECT count(*) FROM attune.sessions), (SELECT count(*) FROM attune.observations),
       (SELECT count(*) FROM attune.progress_notes)"
check "Kim's UPDATE and DELETE of Lee's observation touch no row" kim "0|0" "
WITH u AS (UPDATE attune.observations SET comment = 'kim was here' WHERE uuid = '$O_LEE3' RETURNING 1),
     d AS (DELETE FROM attune.observations WHERE uuid = '$O_LEE3' RETURNING 1)
SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM d)"
refused "Kim cannot add a session to Lee's case" kim "row-level security" "
INSERT INTO attune.sessions (uuid, case_uuid, number, date, scheme_name, scheme_version, created_at, updated_at)
VALUES ('30000000-0000-4000-8000-0000000000ff', '$C_LEE', 9, '2025-03-09', 'default', 1, '$T0', '$T0')"
refused "Kim cannot create a case in Lee's name" kim "row-level security" "
INSERT INTO attune.cases (uuid, label, clinician_uuid, start_date, scheme_name, scheme_version, created_at, updated_at)
VALUES ('20000000-0000-4000-8000-0000000000ff', 'Fake', '$P_LEE', '2025-01-01', 'default', 1, '$T0', '$T0')"
check "Lee sees his case and Kim's case shared with him, with its session" lee "Kim couple,Lee couple|3" "
SELECT (SELECT string_agg(label, ',' ORDER BY label) FROM attune.cases), (SELECT count(*) FROM attune.sessions)"
refused "Lee cannot sign Kim's session (only a case's own clinician signs)" lee "row-level security" "
INSERT INTO attune.signatures (uuid, session_uuid, signer_uuid, role, signed_at, note_sha256)
VALUES ('70000000-0000-4000-8000-0000000000ff', '$S_KIM1', '$P_LEE', 'sign', '$T0', 'x')"
refused "Lee cannot take Kim's shared case over" lee "only the case's clinician" "
UPDATE attune.cases SET clinician_uuid = '$P_LEE' WHERE uuid = '$C_KIM'"

# [SECTION] Supervisor: the supervisees' cases only.
check "Sam sees Lee's case and not Kim's (shared with Lee, not supervised by Sam)" sam "Lee couple" "
SELECT string_agg(label, ',' ORDER BY label) FROM attune.cases"
check "Sam reads Lee's sessions, every rater's observations, notes, signatures" sam "2|4|2|2" "
SELECT (SELECT count(*) FROM attune.sessions), (SELECT count(*) FROM attune.observations),
       (SELECT count(*) FROM attune.progress_notes), (SELECT count(*) FROM attune.signatures)"
check "Sam sees none of Kim's rows" sam "0|0|0|0" "
SELECT (SELECT count(*) FROM attune.cases WHERE uuid = '$C_KIM'), (SELECT count(*) FROM attune.sessions WHERE uuid = '$S_KIM1'),
       (SELECT count(*) FROM attune.observations WHERE uuid = '$O_KIM1'),
       (SELECT count(*) FROM attune.progress_notes WHERE uuid = '$N_KIM1')"
check "Sam's comment and co-signature on Lee's session are there for Lee" lee "1|cosign,sign" "
SELECT (SELECT count(*) FROM attune.review_comments WHERE session_uuid = '$S_LEE1'),
       (SELECT string_agg(role, ',' ORDER BY role) FROM attune.signatures WHERE session_uuid = '$S_LEE1')"
refused "Sam cannot comment on Kim's session" sam "row-level security" "
INSERT INTO attune.review_comments (uuid, session_uuid, author_uuid, t, body, created_at)
VALUES ('90000000-0000-4000-8000-0000000000ff', '$S_KIM1', '$P_SAM', 1, 'x', '$T0')"
check "Sam's UPDATE of Lee's unsigned note touches no row" sam "0" "
WITH u AS (UPDATE attune.progress_notes SET plan = 'sam' WHERE uuid = '$N_LEE2' RETURNING 1) SELECT count(*) FROM u"
refused "Sam cannot co-sign a session Lee has not signed" sam "not signed this note yet" "
INSERT INTO attune.signatures (uuid, session_uuid, signer_uuid, role, signed_at, note_sha256)
VALUES ('70000000-0000-4000-8000-0000000000fe', '$S_LEE2', '$P_SAM', 'cosign', '$T0', 'x')"

# [SECTION] Coder: the assigned session only, their own observations only.
check "Cody sees only the session assigned to him" cody "$S_LEE2" "SELECT string_agg(uuid::text, ',') FROM attune.sessions"
check "Cody sees only his own observation, not Lee's coding of that session" cody "$O_CODY1" "
SELECT string_agg(uuid::text, ',') FROM attune.observations"
refused "Cody reads no case" cody "permission denied" "SELECT count(*) FROM attune.cases"
refused "Cody reads no progress note" cody "permission denied" "SELECT count(*) FROM attune.progress_notes"
refused "Cody cannot code a session not assigned to him" cody "row-level security" "
INSERT INTO attune.observations (uuid, session_uuid, rater_uuid, t, who, code_id, created_at, updated_at)
VALUES ('40000000-0000-4000-8000-0000000000ff', '$S_LEE1', '$P_CODY', 1, 'A', 'protest', '$T0', '$T0')"
refused "Cody cannot write an observation in Lee's name" cody "row-level security" "
INSERT INTO attune.observations (uuid, session_uuid, rater_uuid, t, who, code_id, created_at, updated_at)
VALUES ('40000000-0000-4000-8000-0000000000fe', '$S_LEE2', '$P_LEE', 1, 'A', 'protest', '$T0', '$T0')"

# [SECTION] A signed session is sealed.
refused "Lee cannot UPDATE an observation of his signed session" lee "sealed" "
UPDATE attune.observations SET code_id = 'validate' WHERE uuid = '$O_LEE1'"
refused "Lee cannot DELETE an observation of his signed session" lee "sealed" "
DELETE FROM attune.observations WHERE uuid = '$O_LEE1'"
refused "Lee cannot add an observation to his signed layer" lee "sealed" "
INSERT INTO attune.observations (uuid, session_uuid, rater_uuid, t, who, code_id, created_at, updated_at)
VALUES ('40000000-0000-4000-8000-0000000000fd', '$S_LEE1', '$P_LEE', 99, 'A', 'protest', '$T0', '$T0')"
refused "Lee cannot UPDATE the signed progress note" lee "signed" "
UPDATE attune.progress_notes SET plan = 'changed' WHERE uuid = '$N_LEE1'"
refused "Lee cannot DELETE the signed progress note" lee "signed" "
DELETE FROM attune.progress_notes WHERE uuid = '$N_LEE1'"
refused "Lee cannot change the signed session's safety rating" lee "sealed" "
UPDATE attune.sessions SET safety = 2 WHERE uuid = '$S_LEE1'"
refused "Lee cannot change a signature" lee "permission denied" "UPDATE attune.signatures SET note_sha256 = 'x'"
refused "Lee cannot add an addendum to an unsigned session" lee "addendum is for a signed note" "
INSERT INTO attune.addenda (uuid, session_uuid, author_uuid, created_at, body)
VALUES ('80000000-0000-4000-8000-0000000000ff', '$S_LEE2', '$P_LEE', '$T0', 'x')"
check "Lee still edits an observation of his unsigned session" lee "1" "
WITH u AS (UPDATE attune.observations SET comment = 'edited' WHERE uuid = '$O_LEE3' RETURNING 1) SELECT count(*) FROM u"
refused "even a superuser's UPDATE of a sealed observation is refused by the trigger" $super "sealed" "
UPDATE attune.observations SET code_id = 'validate' WHERE uuid = '$O_LEE1'"
refused "even a superuser cannot change a signature" $super "signatures cannot be changed" "
DELETE FROM attune.signatures WHERE session_uuid = '$S_LEE1'"

# [SECTION] The audit table is append-only; pulls are audited.
audit_before=$(q $super "SELECT count(*) FROM attune.audit_log")
for who in lee kim sam cody ada; do
    refused "$who cannot UPDATE audit rows" $who "permission denied" "UPDATE attune.audit_log SET detail = 'x'"
    refused "$who cannot DELETE audit rows" $who "permission denied" "DELETE FROM attune.audit_log"
done
check "the owner's UPDATE and DELETE of audit rows touch no row" $owner "0|0" "
WITH u AS (UPDATE attune.audit_log SET detail = 'x' RETURNING 1), d AS (DELETE FROM attune.audit_log RETURNING 1)
SELECT (SELECT count(*) FROM u), (SELECT count(*) FROM d)"
refused "a superuser's UPDATE of audit rows is refused by the trigger" $super "append-only" "UPDATE attune.audit_log SET detail = 'x'"
refused "a superuser's DELETE of audit rows is refused by the trigger" $super "append-only" "DELETE FROM attune.audit_log"
refused "a superuser's TRUNCATE of the audit table is refused by the trigger" $super "append-only" "TRUNCATE attune.audit_log"
check "the audit table still has every row" $super "$audit_before" "SELECT count(*) FROM attune.audit_log"
refused "Lee cannot write an audit row in Kim's name" lee "row-level security" "
INSERT INTO attune.audit_log (at, actor_uuid, action) VALUES ('$T0', '$P_KIM', 'view')"
check "the server stamps the login of an audit row, whatever the client sent" lee "lee" "
INSERT INTO attune.audit_log (uuid, at, actor_uuid, action, login_name)
VALUES ('c0000000-0000-4000-8000-000000000002', '$T0', '$P_LEE', 'view', 'kim');
SELECT login_name FROM attune.audit_log WHERE uuid = 'c0000000-0000-4000-8000-000000000002'"
check "Sam's pull of Lee's two sessions is audited" sam "1" "
SELECT count(*) FROM (SELECT attune.record_pull('sessions', ARRAY['$S_LEE1', '$S_LEE2']::uuid[], 0, 10)) p"
check "the administrator reads who pulled which rows" ada "sam|sessions|2|t" "
SELECT login_name, entity, cardinality(row_uuids), row_uuids @> ARRAY['$S_LEE1', '$S_LEE2']::uuid[]
FROM attune.audit_log WHERE action = 'pull'"
refused "Kim cannot log a pull of Lee's session (not a row she can read)" kim "not rows you can read" "
SELECT attune.record_pull('sessions', ARRAY['$S_LEE1']::uuid[], 0, 10)"
check "Lee does not see Sam's audit rows" lee "0" "SELECT count(*) FROM attune.audit_log WHERE actor_uuid <> '$P_LEE'"

# [SECTION] change_seq and the pull horizon.
max_all="SELECT max(change_seq) FROM (SELECT change_seq FROM attune.people UNION ALL SELECT change_seq FROM attune.cases
  UNION ALL SELECT change_seq FROM attune.sessions UNION ALL SELECT change_seq FROM attune.observations
  UNION ALL SELECT change_seq FROM attune.progress_notes UNION ALL SELECT change_seq FROM attune.audit_log
  UNION ALL SELECT change_seq FROM attune.signatures UNION ALL SELECT change_seq FROM attune.review_comments) s"
seq0=$(q $super "$max_all")
seqs=$(q lee "
INSERT INTO attune.observations (uuid, session_uuid, rater_uuid, t, who, code_id, created_at, updated_at)
VALUES ('$O_LEE4', '$S_LEE2', '$P_LEE', 50, 'B', 'validate', '$T0', '$T0');
SELECT change_seq FROM attune.observations WHERE uuid = '$O_LEE4';
UPDATE attune.observations SET comment = 'one' WHERE uuid = '$O_LEE4';
SELECT change_seq FROM attune.observations WHERE uuid = '$O_LEE4';
UPDATE attune.observations SET comment = 'two' WHERE uuid = '$O_LEE4';
SELECT change_seq FROM attune.observations WHERE uuid = '$O_LEE4';" 2>&1)
read -r -d '' s1 s2 s3 <<<"$seqs"
if [[ $s1 =~ ^[0-9]+$ && $s2 =~ ^[0-9]+$ && $s3 =~ ^[0-9]+$ && $seq0 =~ ^[0-9]+$ ]] &&
   (( s1 > seq0 && s2 > s1 && s3 > s2 )); then
    ok "change_seq increases on an insert and on each update ($seq0 < $s1 < $s2 < $s3)"
else
    bad "change_seq increases on an insert and on each update" "before $seq0, then [${seqs//$'\n'/ }]"
fi
check "a pull since a change_seq gets exactly the rows changed after it" lee "$O_LEE4" "
SELECT string_agg(uuid::text, ',') FROM attune.observations WHERE change_seq > ${seq0:-0}"
check "every table but the version table stamps change_seq before each row inserted or updated" $super "0" "
SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'attune' AND c.relkind = 'r' AND c.relname <> 'attune_schema_version'
  AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgenabled <> 'D'
                  AND g.tgfoid = 'attune.stamp_change_seq()'::regprocedure AND g.tgtype & (1 | 2 | 4 | 16) = (1 | 2 | 4 | 16))"
check "an update of a session raises its change_seq too" lee "t" "
WITH b AS (SELECT change_seq FROM attune.sessions WHERE uuid = '$S_LEE2'),
     u AS (UPDATE attune.sessions SET start_time = '10:00' WHERE uuid = '$S_LEE2' RETURNING change_seq)
SELECT (SELECT change_seq FROM u) > (SELECT change_seq FROM b)"
check "change_seq is unique across all tables" $super "t" "
SELECT count(*) = count(DISTINCT change_seq) AND min(change_seq) > 0 FROM (
  SELECT change_seq FROM attune.people UNION ALL SELECT change_seq FROM attune.person_role
  UNION ALL SELECT change_seq FROM attune.practice_log UNION ALL SELECT change_seq FROM attune.schemes
  UNION ALL SELECT change_seq FROM attune.cases UNION ALL SELECT change_seq FROM attune.participants
  UNION ALL SELECT change_seq FROM attune.case_shares UNION ALL SELECT change_seq FROM attune.sessions
  UNION ALL SELECT change_seq FROM attune.coder_assignments UNION ALL SELECT change_seq FROM attune.observations
  UNION ALL SELECT change_seq FROM attune.progress_notes UNION ALL SELECT change_seq FROM attune.signatures
  UNION ALL SELECT change_seq FROM attune.addenda UNION ALL SELECT change_seq FROM attune.review_comments
  UNION ALL SELECT change_seq FROM attune.audit_log) s"
q lee "BEGIN;
INSERT INTO attune.observations (uuid, session_uuid, rater_uuid, t, who, code_id, created_at, updated_at)
VALUES ('$O_LEE5', '$S_LEE2', '$P_LEE', 60, 'A', 'reassure', '$T0', '$T0');
SELECT pg_sleep(4);
COMMIT;" >/dev/null 2>"$tmp/writer.err" &
writer=$!
sleep 1.5
refused "the pull horizon waits while a write is uncommitted" sam "statement timeout" "
SET statement_timeout = '700ms'; SELECT attune.pull_horizon()"
wait $writer
check "after the write commits, the pull horizon covers its row" sam "t" "
SELECT attune.pull_horizon() >= (SELECT change_seq FROM attune.observations WHERE uuid = '$O_LEE5')"

# [SECTION] Idempotent push.
fingerprint="SELECT md5(string_agg(x, '|' ORDER BY x)) FROM (
  SELECT 'p' || t::text x FROM attune.people t UNION ALL SELECT 'r' || t::text FROM attune.person_role t
  UNION ALL SELECT 's' || t::text FROM attune.schemes t UNION ALL SELECT 'c' || t::text FROM attune.cases t
  UNION ALL SELECT 'a' || t::text FROM attune.participants t UNION ALL SELECT 'h' || t::text FROM attune.case_shares t
  UNION ALL SELECT 'e' || t::text FROM attune.sessions t UNION ALL SELECT 'k' || t::text FROM attune.coder_assignments t
  UNION ALL SELECT 'o' || t::text FROM attune.observations t UNION ALL SELECT 'n' || t::text FROM attune.progress_notes t
  UNION ALL SELECT 'g' || t::text FROM attune.signatures t UNION ALL SELECT 'd' || t::text FROM attune.addenda t
  UNION ALL SELECT 'v' || t::text FROM attune.review_comments t UNION ALL SELECT 'l' || t::text FROM attune.audit_log t
  UNION ALL SELECT 'x' || t::text FROM attune.practice_log t) s"
before=$(q $super "$fingerprint")
check "pushing an observation again by uuid (ON CONFLICT DO NOTHING) inserts nothing" lee "0" "
WITH i AS (INSERT INTO attune.observations (uuid, session_uuid, rater_uuid, t, who, code_id, created_at, updated_at)
           VALUES ('$O_LEE3', '$S_LEE2', '$P_LEE', 40.0, 'A', 'reflect', '$T0', '$T0')
           ON CONFLICT (uuid) DO NOTHING RETURNING 1)
SELECT count(*) FROM i"
got=$(q lee "$lee_push" 2>&1); rc=$?
after=$(q $super "$fingerprint")
if [[ $rc -eq 0 && -n $before && $before == "$after" ]]; then
    ok "Lee's whole push again, sealed rows included, changes no row and no change_seq"
else
    bad "Lee's whole push again changes nothing" "exit $rc [${got//$'\n'/ / }], before $before, after $after"
fi

echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
