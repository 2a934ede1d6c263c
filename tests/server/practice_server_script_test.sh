#!/usr/bin/env bash
# scripts/practice-server.sh, as the README tells a newcomer to run it: start
# makes a server with Attune's schema and says where; the owner's password
# file lets `attune server init` in again (nothing changed), over the socket
# and over TLS with the printed CA; stop removes it.
#
#   tests/server/practice_server_script_test.sh ATTUNE
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
script=$here/../../scripts/practice-server.sh
attune=$1
fail() { echo "FAILED: $*" >&2; [[ -n ${dir:-} ]] && bash "$script" stop "$dir" >/dev/null 2>&1; exit 1; }

out=$(bash "$script" start "$attune") || fail "start exited $?: $out"
echo "$out"
dir=$(sed -n 's/^  stop it with: bash scripts\/practice-server.sh stop //p' <<<"$out")
url=$(sed -n 's/^practice server: //p' <<<"$out")
[[ $dir == /tmp/attune-pgtest.* && -d $dir ]] || fail "no cluster folder in the output"
[[ $url == "postgresql://practice_owner@/practice?host=$dir/sock&port="* ]] || fail "unexpected URL: $url"
grep -q "^database \"practice\" on $dir/sock, port [0-9]*: Attune's schema created at version 12$" <<<"$out" ||
    fail "start did not report the schema created"
[[ $url != *practice_owner:* ]] || fail "the URL carries a password"

again=$(PGPASSFILE=$dir/pgpass "$attune" server init --url "$url" 2>&1) || fail "init again: $again"
[[ $again == *"Attune's schema is already at version 12; nothing changed" ]] || fail "init again said: $again"

tls=$(sed -n 's/^  over TLS: //p' <<<"$out")
[[ $tls == "postgresql://practice_owner@localhost:"*"/practice?sslmode=verify-full&sslrootcert=$dir/tls/ca.crt" ]] ||
    fail "unexpected TLS URL: $tls"
again=$(PGPASSFILE=$dir/pgpass "$attune" server init --url "$tls" 2>&1) || fail "init over TLS: $again"
[[ $again == "database \"practice\" on localhost, port "*": Attune's schema is already at version 12; nothing changed" ]] ||
    fail "init over TLS said: $again"

bash "$script" stop "$dir" || fail "stop exited $?"
[[ ! -e $dir ]] || fail "the cluster folder is still there"
gone=$(PGPASSFILE=/dev/null "$attune" server init --url "$url" 2>&1)
[[ $? -eq 1 ]] || fail "init after stop did not exit 1: $gone"
echo "practice-server.sh: start, init again, stop: passed"
