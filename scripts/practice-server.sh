#!/usr/bin/env bash
# A local practice server to try Attune's server side on (issue 21): a
# PostgreSQL 15 cluster of its own under /tmp (the tests' throwaway cluster:
# a Unix socket, and 127.0.0.1 over TLS only with a CA of its own,
# SCRAM-SHA-256, fsync off), a database
# "practice" owned by the role practice_owner (CREATEROLE, not a superuser),
# and Attune's schema made on it with `attune server init`. For trying only:
# nothing in it survives a crash of the machine. A practice's real server is
# set up by its administrator (docs/practice-server-schema.md).
#
#   bash scripts/practice-server.sh start [ATTUNE]   prints the URL and how to stop it
#   bash scripts/practice-server.sh stop DIR
#
# ATTUNE is the attune binary (default build/src/attune). The owner's password
# is in DIR/pgpass (a libpq password file, readable only by you): use it with
# PGPASSFILE=DIR/pgpass, so that the password is not on the command line.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cluster=$here/../tests/server/throwaway_cluster.sh

case ${1:-} in
    start)
        attune=${2:-$here/../build/src/attune}
        [[ -x $attune ]] || { echo "practice-server: no attune binary at $attune (build first: bash scripts/build.sh)" >&2; exit 2; }
        # shellcheck source=../tests/server/throwaway_cluster.sh
        . "$cluster"
        cluster_start || { cluster_stop; exit 2; }
        export PGPASSFILE=$tmp/pgpass PGCONNECT_TIMEOUT=10
        unset PGHOST PGPORT PGUSER PGDATABASE PGOPTIONS PGSERVICE PGPASSWORD
        password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
        if ! "$pgbin/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -p "$port" -U "$super" -d postgres \
                -c "CREATE ROLE practice_owner LOGIN CREATEROLE PASSWORD '$password'" \
                -c "CREATE DATABASE practice OWNER practice_owner" >/dev/null; then
            echo "practice-server: could not make the owner and the database" >&2; cluster_stop; exit 2
        fi
        printf '*:*:*:practice_owner:%s\n' "$password" >> "$tmp/pgpass"
        url="postgresql://practice_owner@/practice?host=$sock&port=$port"
        if ! "$attune" server init --url "$url"; then cluster_stop; exit 1; fi
        echo "practice server: $url"
        echo "  the owner's password is in $tmp/pgpass: PGPASSFILE=$tmp/pgpass attune server init --url '$url'"
        echo "  over TLS: postgresql://practice_owner@localhost:$port/practice?sslmode=verify-full&sslrootcert=$ca"
        echo "  stop it with: bash scripts/practice-server.sh stop $tmp"
        ;;
    stop)
        exec bash "$cluster" stop "${2:-}"
        ;;
    *)
        echo "usage: $0 start [ATTUNE] | stop DIR" >&2
        exit 64
        ;;
esac
