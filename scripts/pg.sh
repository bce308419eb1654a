#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests.
#
#   scripts/pg.sh start   start one (or say it already runs); prints the admin URL
#   scripts/pg.sh url     print the admin URL (postgresql://postgres@127.0.0.1:PORT/postgres)
#   scripts/pg.sh env     print the state file (KEY=value lines, for `eval` or `source`)
#   scripts/pg.sh stop    stop it and remove its folder (fine when nothing runs)
#
# The cluster lives in a fresh `mktemp -d /tmp/kp-pg.XXXXXX` owned by the postgres user (initdb
# and pg_ctl refuse to run as root), listens on 127.0.0.1 only, at a free port, with its unix
# socket in that folder, trust authentication and fsync off: it is for tests, never for data.
# The state is kept in build/pg.env (or $KP_PG_STATE).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
state=${KP_PG_STATE:-$root/build/pg.env}

die() {
    echo "pg.sh: $*" >&2
    exit 1
}

pg_bindir() {
    local d
    # shellcheck disable=SC2012 # the folder names are version numbers
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
    if [ -z "$d" ] || [ ! -x "$d/pg_ctl" ]; then
        die "no PostgreSQL server found (apt-get install postgresql, or run scripts/install-deps.sh)"
    fi
    printf '%s\n' "$d"
}

# Run a command as the postgres user when we are root; as ourselves otherwise.
# Runs from inside the cluster folder: the caller's folder may not be traversable by postgres.
as_pg() {
    local dir=$1
    shift
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$dir" && runuser -u postgres -- "$@")
    else
        (cd "$dir" && "$@")
    fi
}

port_in_use() {
    local port=$1
    if command -v ss >/dev/null 2>&1; then
        ss -Hltn "sport = :$port" 2>/dev/null | grep -q . && return 0
    fi
    # Also try to connect: a listener answers.
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    return 1
}

free_port() {
    local port tries
    for tries in $(seq 1 200); do
        port=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
        if ! port_in_use "$port"; then
            printf '%s\n' "$port"
            return 0
        fi
        : "$tries"
    done
    die "found no free port"
}

load_state() {
    KP_PG_DIR='' KP_PG_PORT='' KP_PG_BIN='' KP_TEST_PG_ADMIN=''
    [ -f "$state" ] || return 1
    # shellcheck disable=SC1090
    . "$state"
    [ -n "$KP_PG_DIR" ] && [ -n "$KP_PG_PORT" ]
}

is_running() {
    if [ -z "${KP_PG_DIR:-}" ] || [ ! -d "$KP_PG_DIR/data" ]; then
        return 1
    fi
    as_pg "$KP_PG_DIR" "${KP_PG_BIN:-$(pg_bindir)}/pg_ctl" -D "$KP_PG_DIR/data" status >/dev/null 2>&1
}

remove_dir() {
    local dir=$1
    case "$dir" in
    /tmp/kp-pg.*) rm -rf -- "$dir" ;;
    *) echo "pg.sh: not removing unexpected folder $dir" >&2 ;;
    esac
}

cmd_stop() {
    if ! load_state; then
        echo "pg.sh: no cluster recorded; nothing to stop"
        rm -f -- "$state"
        return 0
    fi
    if is_running; then
        as_pg "$KP_PG_DIR" "$KP_PG_BIN/pg_ctl" -D "$KP_PG_DIR/data" -m fast -w -t 60 stop >/dev/null ||
            echo "pg.sh: pg_ctl stop failed (see $KP_PG_DIR/server.log)" >&2
    fi
    remove_dir "$KP_PG_DIR"
    rm -f -- "$state"
    echo "pg.sh: stopped PostgreSQL on port $KP_PG_PORT"
}

cmd_start() {
    if load_state; then
        if is_running; then
            echo "pg.sh: already running on port $KP_PG_PORT ($KP_PG_DIR)" >&2
            printf '%s\n' "$KP_TEST_PG_ADMIN"
            return 0
        fi
        echo "pg.sh: recorded cluster $KP_PG_DIR is not running; starting a new one" >&2
        remove_dir "$KP_PG_DIR"
        rm -f -- "$state"
    fi

    local bin dir port attempt
    bin=$(pg_bindir)
    dir=$(mktemp -d /tmp/kp-pg.XXXXXX)
    chmod 700 "$dir"
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || die "there is no postgres user (apt-get install postgresql)"
        chown postgres: "$dir"
    fi

    if ! as_pg "$dir" "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
        --no-sync >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        remove_dir "$dir"
        die "initdb failed"
    fi

    # The port is picked free but may be taken between the check and the start: try a few.
    for attempt in 1 2 3 4 5; do
        port=$(free_port)
        if as_pg "$dir" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
            -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
            start >/dev/null; then
            break
        fi
        echo "pg.sh: start on port $port failed (attempt $attempt)" >&2
        port=
    done
    if [ -z "$port" ]; then
        tail -n 30 "$dir/server.log" >&2 || true
        remove_dir "$dir"
        die "could not start PostgreSQL"
    fi

    mkdir -p "$(dirname "$state")"
    cat >"$state" <<STATE
KP_PG_DIR=$dir
KP_PG_PORT=$port
KP_PG_BIN=$bin
KP_TEST_PG_ADMIN=postgresql://postgres@127.0.0.1:$port/postgres
STATE
    echo "pg.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port ($dir)" >&2
    printf '%s\n' "postgresql://postgres@127.0.0.1:$port/postgres"
}

require_running() {
    if ! load_state || ! is_running; then
        die "not running (scripts/pg.sh start)"
    fi
}

cmd_url() {
    require_running
    printf '%s\n' "$KP_TEST_PG_ADMIN"
}

cmd_env() {
    require_running
    cat "$state"
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
url) cmd_url ;;
env) cmd_env ;;
*)
    echo "usage: $0 start|stop|url|env" >&2
    exit 2
    ;;
esac
