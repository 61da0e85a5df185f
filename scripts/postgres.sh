#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the tests and benchmarks (issue 19), installed from Debian when
# missing. The server refuses to run as root, so when run as root its files belong to the `postgres` user and its
# programs run as that user.
#
#   scripts/postgres.sh start DIR   makes a cluster in DIR, starts it on a free loopback port (fsync on, as in
#                                   production), creates the role and database `dealreg` with a random password,
#                                   writes the store URL to DIR/url (mode 0600) and prints where it is
#   scripts/postgres.sh stop DIR    stops it and removes DIR
#   scripts/postgres.sh restart DIR restarts it on the same port (fast shutdown: sessions are ended), for fault tests
#   scripts/postgres.sh halt DIR    stops it at once, as a crash would (immediate shutdown), leaving DIR in place
#   scripts/postgres.sh resume DIR  starts a halted server again on the same port (it recovers from its WAL)
#   scripts/postgres.sh database DIR NAME  (re)creates database NAME owned by dealreg and prints its URL
#
# The password is in DIR/url and DIR/password only, never printed.
set -euo pipefail

usage() { echo "usage: $0 start|stop|restart|halt|resume DIR, or database DIR NAME" >&2; exit 2; }
[ $# -ge 2 ] || usage
command=$1
dir=$(realpath -m "$2")

bindir() { ls -d /usr/lib/postgresql/*/bin 2> /dev/null | sort -V | tail -1; }

as_owner() {
    # From /: the postgres user may not reach the caller's folder (a clone in a 0700 temporary directory).
    if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

# Starts the cluster in DIR on the port it was first given.
serve() {
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-p $(cat "$dir/port") -k $dir -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on" \
        start > /dev/null
}

case "$command" in
start)
    if [ -z "$(bindir)" ]; then
        [ "$(id -u)" = 0 ] || { echo "PostgreSQL is missing: run as root to install it" >&2; exit 1; }
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql > /dev/null
        # Debian's package starts a cluster of its own; the tests use theirs only.
        service postgresql stop > /dev/null 2>&1 || true
    fi
    bin=$(bindir)
    [ ! -e "$dir/data" ] || { echo "$dir/data exists: stop it first" >&2; exit 1; }
    mkdir -p "$dir"
    chmod 0700 "$dir"
    if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$(dirname "$dir")"; then
        rmdir "$dir"
        echo "the postgres user cannot reach $(dirname "$dir") (mode $(stat -c %a "$(dirname "$dir")")): give a DIR in /tmp" >&2
        exit 1
    fi
    password=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    superuser=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
    printf '%s\n' "$superuser" > "$dir/superuser"
    [ "$(id -u)" != 0 ] || chown -R postgres: "$dir"
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
        --pwfile="$dir/superuser" > "$dir/initdb.log"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    printf '%s\n' "$port" > "$dir/port"
    serve
    as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 -q \
        -c "CREATE ROLE dealreg LOGIN CREATEDB PASSWORD '$password'" -c "CREATE DATABASE dealreg OWNER dealreg" > /dev/null
    rm -f "$dir/superuser"
    (umask 077 && printf '%s\n' "$password" > "$dir/password" &&
        printf 'postgres://dealreg:%s@127.0.0.1:%s/dealreg\n' "$password" "$port" > "$dir/url")
    echo "postgres: serving on 127.0.0.1:$port, data $dir/data, store URL in $dir/url"
    ;;
stop)
    bin=$(bindir)
    if [ -n "$bin" ] && [ -e "$dir/data/postmaster.pid" ]; then
        as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null || true
    fi
    rm -rf "$dir"
    ;;
restart)
    bin=$(bindir)
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -m fast -w restart > /dev/null
    ;;
halt)
    bin=$(bindir)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop > /dev/null
    ;;
resume)
    bin=$(bindir)
    serve
    ;;
database)
    # A fresh database owned by dealreg (a chaos run or a benchmark needs empty schemas); prints its URL.
    bin=$(bindir)
    name=${3:?usage: $0 database DIR NAME}
    port=$(cat "$dir/port")
    as_owner "$bin/psql" -h "$dir" -p "$port" -U postgres -v ON_ERROR_STOP=1 -q \
        -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name OWNER dealreg" > /dev/null
    sed "s|/dealreg\$|/$name|" "$dir/url"
    ;;
*) usage ;;
esac
