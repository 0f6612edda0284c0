# shellcheck shell=bash
# Private PostgreSQL clusters for scripts/run, scripts/test and scripts/bench.
# Sourced, not executed. Uses the installed server binaries (installing the
# server package when they are missing); never a system service.

# shellcheck source=scripts/lib/packages.sh
source "$(dirname "${BASH_SOURCE[0]}")/packages.sh"

pg_find_bindir() {
    local dir
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir 2>/dev/null || true)
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    fi
    # Debian installs the server beside the client, per major version; take the newest.
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -V -r); do
        [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"; return 0
    fi
    return 1
}

pg_require_binaries() {
    if ! PG_BIN=$(pg_find_bindir); then
        ensure_packages postgresql
        PG_BIN=$(pg_find_bindir) || {
            echo "The postgresql package is installed, but initdb and pg_ctl were not found." >&2
            exit 1
        }
    fi
    export PG_BIN
}

# Runs a command as the user that owns the cluster: postgres refuses to run as root.
pg_as_owner() {
    if [ "$(id -u)" = 0 ]; then
        # From /, since the postgres user may not be allowed into the checkout.
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

# Prints a directory for a cluster. Prefers the wanted path (under .data/); when
# running as root and the postgres user cannot reach it (a clone under a private
# home directory), falls back to a directory under /var/tmp that it can reach.
pg_cluster_dir() {
    local wanted=$1 parent
    parent=$(dirname "$wanted")
    mkdir -p "$parent"
    if [ "$(id -u)" != 0 ]; then echo "$wanted"; return 0; fi
    if ! id postgres >/dev/null 2>&1; then
        echo "Running as root, but there is no 'postgres' user to run the database as." >&2
        echo "Install PostgreSQL (apt-get install postgresql) or run as an ordinary user." >&2
        exit 1
    fi
    if runuser -u postgres -- test -x "$parent" 2>/dev/null && runuser -u postgres -- test -r "$parent" 2>/dev/null; then
        echo "$wanted"
    else
        local key
        key=$(printf '%s' "$(cd "$parent" && pwd)/$(basename "$wanted")" | sha256sum | cut -c1-12)
        echo "/var/tmp/liaison-pg-$key"
    fi
}

pg_port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pg_start DIR PORT [extra postgres options]: initdb when needed, start when not
# running, and export PGHOST/PGPORT/PGUSER for psql plus PG_SUPERUSER_URL.
pg_start() {
    local dir=$1 port=$2 extra=${3:-} sockdir log
    pg_require_binaries
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    chmod 700 "$dir"
    sockdir="$dir/run"
    log="$dir/server.log"
    if [ ! -s "$dir/data/PG_VERSION" ]; then
        pg_as_owner mkdir -p "$dir/data" "$sockdir"
        pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -A trust -U liaison -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || pg_as_owner "$PG_BIN/initdb" -D "$dir/data" -A trust -U liaison -E UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; return 1; }
    fi
    pg_as_owner mkdir -p "$sockdir"
    # A machine that stopped without stopping the cluster leaves postmaster.pid
    # behind, and its PID may now be another process's: pg_ctl then reports a
    # server that is not there. Nothing listening on the port means none runs.
    if pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1 && pg_port_free "$port"; then
        rm -f "$dir/data/postmaster.pid"
    fi
    if ! pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        if ! pg_port_free "$port"; then
            echo "Port $port is taken; set LIAISON_PG_PORT to another port." >&2
            return 1
        fi
        # The socket's lock file from such a stop would refuse the start too.
        rm -f "$sockdir/.s.PGSQL.$port" "$sockdir/.s.PGSQL.$port.lock"
        # Loopback only, trust authentication: this cluster is private to this checkout.
        pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -w -t 60 -l "$log" \
            -o "-p $port -k $sockdir -c listen_addresses=127.0.0.1 -c max_connections=200 $extra" start >/dev/null \
            || { tail -n 20 "$log" >&2; return 1; }
    fi
    export PGHOST=127.0.0.1 PGPORT=$port PGUSER=liaison
    export PG_SUPERUSER_URL="postgres://liaison@127.0.0.1:$port"
}

pg_stop() {
    local dir=$1
    [ -s "$dir/data/PG_VERSION" ] || return 0
    pg_as_owner "$PG_BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
}

# pg_ensure_database NAME: creates it when missing.
pg_ensure_database() {
    local name=$1
    if ! "$PG_BIN/psql" -X -qtA -d postgres -c "select 1 from pg_database where datname = '$name'" | grep -q 1; then
        "$PG_BIN/psql" -X -q -d postgres -c "create database \"$name\"" >/dev/null
    fi
}
