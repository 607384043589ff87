#!/usr/bin/env bash
# A throwaway PostgreSQL for onrecord's tests, on loopback, in a local data dir.
#
#   scripts/postgres.sh start    install if missing, init, start, create DB; print URL
#   scripts/postgres.sh url      print the URL (postgresql://onrecord:...@127.0.0.1:PORT/onrecord_test)
#   scripts/postgres.sh status   exit 0 when it answers
#   scripts/postgres.sh stop     stop the server (keeps the data dir)
#   source scripts/postgres.sh   start and export ONRECORD_TEST_PG
#
# Idempotent; works as root with no stdin (CI=true): PostgreSQL refuses to run
# as root, so the cluster belongs to the 'postgres' user. Logs go to stderr,
# the URL alone to stdout.
# Settings: ONRECORD_PG_DIR (default /tmp/onrecord-pg), ONRECORD_PG_PORT (54329).

_onrecord_pg_main() (
    set -euo pipefail
    local action="${1:-start}"
    local base="${ONRECORD_PG_DIR:-/tmp/onrecord-pg}"
    local port="${ONRECORD_PG_PORT:-54329}"
    local data="$base/data" log="$base/server.log"
    local db=onrecord_test user=onrecord password=onrecord
    local url="postgresql://$user:$password@127.0.0.1:$port/$db"

    say() { echo "postgres.sh: $*" >&2; }

    find_bindir() {
        local d
        if command -v pg_config >/dev/null 2>&1; then
            d="$(pg_config --bindir 2>/dev/null || true)"
            if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
        fi
        d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
        if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
        return 1
    }

    install_server() {
        if [ "$(id -u)" != 0 ]; then
            say "PostgreSQL server not found; install it (apt-get install postgresql) or run as root"
            exit 1
        fi
        say "installing PostgreSQL from Debian packages"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq </dev/null >&2
        apt-get install -y -qq --no-install-recommends postgresql </dev/null >&2
    }

    # run a command as the cluster owner (postgres when we are root)
    as_owner() {
        if [ "$(id -u)" = 0 ]; then
            runuser -u postgres -- "$@"
        else
            "$@"
        fi
    }

    psql_admin() {
        as_owner "$bindir/psql" -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
            -v ON_ERROR_STOP=1 "$@" </dev/null
    }

    local bindir
    if [ "$action" = url ]; then echo "$url"; return 0; fi
    if ! bindir="$(find_bindir)"; then
        [ "$action" = start ] || { say "PostgreSQL is not installed"; exit 1; }
        install_server
        bindir="$(find_bindir)" || { say "initdb still not found after install"; exit 1; }
    fi

    case "$action" in
    status)
        "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"
        return $?
        ;;
    stop)
        if [ -f "$data/PG_VERSION" ]; then
            as_owner "$bindir/pg_ctl" -D "$data" -m fast stop >&2 || true
        fi
        return 0
        ;;
    start) ;;
    *)
        say "unknown action '$action' (start, stop, status, url)"
        exit 2
        ;;
    esac

    mkdir -p "$base"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$base"; fi
    chmod 700 "$base"

    if [ ! -f "$data/PG_VERSION" ]; then
        say "initialising a cluster in $data"
        rm -rf "$data"
        as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust \
            --encoding=UTF8 --locale=C.UTF-8 >&2 </dev/null \
            || as_owner "$bindir/initdb" -D "$data" -U postgres --auth=trust \
                --encoding=UTF8 --locale=C >&2 </dev/null
    fi

    if ! "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port"; then
        say "starting PostgreSQL on 127.0.0.1:$port"
        as_owner "$bindir/pg_ctl" -D "$data" -l "$log" -w -t 60 \
            -o "-p $port -k $base -c listen_addresses=127.0.0.1 -c fsync=off" \
            start >&2 </dev/null || { tail -n 20 "$log" >&2 || true; exit 1; }
    fi

    if [ -z "$(psql_admin -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" ]; then
        psql_admin -c "CREATE ROLE $user LOGIN CREATEDB PASSWORD '$password'"
    fi
    if [ -z "$(psql_admin -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" ]; then
        psql_admin -c "CREATE DATABASE $db OWNER $user"
    fi
    echo "$url"
)

if [ "${BASH_SOURCE[0]}" != "$0" ]; then
    # sourced: start and export the URL for the tests
    if ONRECORD_TEST_PG="$(_onrecord_pg_main start)"; then
        export ONRECORD_TEST_PG
    else
        echo "postgres.sh: could not start PostgreSQL" >&2
    fi
else
    _onrecord_pg_main "$@"
fi
