#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the practice server's tests (issue
# 21): initdb into a fresh folder under /tmp, a Unix socket in it and
# 127.0.0.1 on a free port, SCRAM-SHA-256 for every login, fsync off. As root,
# the cluster runs as the unprivileged user attune-pgtest (PostgreSQL will not
# run as root); it is made when missing.
#
# TLS as a practice's server must have it (docs/practice-server-schema.md):
# a CA of the cluster's own signs the server's certificate (localhost and
# 127.0.0.1), made with the openssl program in $tmp/tls; TCP logins without
# TLS are rejected by pg_hba.conf, the Unix socket needs none.
#
# Sourced (tests/server/run_schema_tests.sh): cluster_start sets
#   tmp    the cluster's folder          sock   its Unix socket folder
#   port   its TCP (and socket) port     super  the superuser's name
#   pgbin  PostgreSQL's programs         as     the command prefix running as the cluster's user
#   ca     the CA certificate that signed the server's (for sslrootcert=)
# and writes the superuser's password to $tmp/pgpass (a libpq password file);
# it returns 2 when the cluster could not be made. cluster_stop stops the
# cluster and removes its folder.
#
# Run (the C++ tests' fixture, tests/server/throwaway_cluster.cpp):
#   throwaway_cluster.sh start       prints dir=, socket=, port=, superuser=, ca= lines; exit 2 on failure
#   throwaway_cluster.sh stop DIR    stops that cluster and removes DIR

cluster_user=attune-pgtest

_cluster_as() {
    as=()
    if [[ $(id -u) -eq 0 ]]; then as=(runuser -u "$cluster_user" --); fi
}

_cluster_free_port() {
    local p
    for _ in $(seq 1 100); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
    done
    return 1
}

# _cluster_tls DIR: a CA (ca.crt, ca.key) and a server certificate it signed
# (server.crt, server.key) for DNS:localhost and IP:127.0.0.1, in DIR. P-256
# keys: quick to make; one day is longer than any test.
_cluster_tls() {
    local dir=$1
    mkdir -p "$dir" && (
        cd "$dir" || exit 1
        umask 077
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
            -subj "/CN=Attune throwaway test CA" -keyout ca.key -out ca.crt \
            -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" &&
        openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -subj "/CN=localhost" -keyout server.key -out server.csr &&
        printf '%s\n' "subjectAltName=DNS:localhost,IP:127.0.0.1" "basicConstraints=CA:FALSE" \
            "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" > server.ext &&
        openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 \
            -extfile server.ext -out server.crt &&
        chmod 644 ca.crt server.crt
    ) >"$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log" >&2; echo "could not make the test certificates" >&2; return 1; }
}

# pg_hba.conf: SCRAM-SHA-256 on the Unix socket; over TCP only with TLS
# (hostssl), and any TCP login without it is rejected by name.
_cluster_hba() {
    cat <<'HBA'
# TYPE     DATABASE  USER  ADDRESS       METHOD
local      all       all                 scram-sha-256
hostssl    all       all   127.0.0.1/32  scram-sha-256
hostssl    all       all   ::1/128       scram-sha-256
hostnossl  all       all   0.0.0.0/0     reject
hostnossl  all       all   ::/0          reject
HBA
}

cluster_start() {
    pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}
    super=attune_test_super
    local tool
    for tool in initdb pg_ctl psql; do
        [[ -x $pgbin/$tool ]] || { echo "missing $pgbin/$tool (Debian package postgresql-15)" >&2; return 2; }
    done
    command -v openssl >/dev/null || { echo "missing openssl (the test certificates)" >&2; return 2; }
    tmp=$(mktemp -d /tmp/attune-pgtest.XXXXXX) || return 2
    _cluster_as
    if [[ ${#as[@]} -gt 0 ]]; then
        id -u "$cluster_user" >/dev/null 2>&1 ||
            useradd -r -M -d /nonexistent -s /usr/sbin/nologin "$cluster_user" || return 2
        chown "$cluster_user" "$tmp"
    fi
    local password
    password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    printf '%s\n' "$password" > "$tmp/superpw"
    mkdir "$tmp/sock"
    [[ ${#as[@]} -gt 0 ]] && chown "$cluster_user" "$tmp/superpw" "$tmp/sock"
    if ! (cd "$tmp" && "${as[@]}" "$pgbin/initdb" -D "$tmp/data" -U $super --pwfile="$tmp/superpw" \
            -A scram-sha-256 -E UTF8 --no-locale --no-sync >"$tmp/initdb.log" 2>&1); then
        cat "$tmp/initdb.log" >&2; echo "initdb failed" >&2; return 2
    fi
    rm -f "$tmp/superpw"
    _cluster_tls "$tmp/tls" || return 2
    # PostgreSQL reads its key only when the cluster's user owns it, mode 0600.
    [[ ${#as[@]} -gt 0 ]] && chown "$cluster_user" "$tmp/tls/server.key"
    ca=$tmp/tls/ca.crt
    _cluster_hba > "$tmp/data/pg_hba.conf"
    sock=$tmp/sock
    local started=0
    for _ in 1 2 3; do
        port=$(_cluster_free_port) || break
        if (cd "$tmp" && "${as[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -l "$tmp/server.log" -w -t 30 \
                -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$sock -c password_encryption=scram-sha-256 -c fsync=off -c max_connections=30 -c ssl=on -c ssl_cert_file=$tmp/tls/server.crt -c ssl_key_file=$tmp/tls/server.key" \
                start >/dev/null 2>&1); then
            started=1; break
        fi
    done
    [[ $started -eq 1 ]] || { cat "$tmp/server.log" >&2 2>/dev/null; echo "the cluster did not start" >&2; return 2; }
    : > "$tmp/pgpass"; chmod 600 "$tmp/pgpass"
    printf '*:*:*:%s:%s\n' "$super" "$password" >> "$tmp/pgpass"
}

cluster_stop() {
    [[ -n ${tmp:-} && -d $tmp ]] || return 0
    _cluster_as
    pgbin=${pgbin:-${PGBIN:-/usr/lib/postgresql/15/bin}}
    if [[ -f $tmp/data/postmaster.pid ]]; then
        (cd "$tmp" && "${as[@]}" "$pgbin/pg_ctl" -D "$tmp/data" -m fast -w stop >/dev/null 2>&1)
    fi
    rm -rf "$tmp"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
    set -uo pipefail
    case ${1:-} in
        start)
            if ! cluster_start; then cluster_stop; exit 2; fi
            printf 'dir=%s\nsocket=%s\nport=%s\nsuperuser=%s\nca=%s\n' "$tmp" "$sock" "$port" "$super" "$ca" ;;
        stop)
            [[ ${2:-} == /tmp/attune-pgtest.* ]] || { echo "stop: not a throwaway cluster's folder: ${2:-}" >&2; exit 64; }
            tmp=$2; cluster_stop ;;
        *) echo "usage: $0 start | stop DIR" >&2; exit 64 ;;
    esac
fi
