# shellcheck shell=bash
# PostgreSQL servers of our own: initdb + pg_ctl in a folder we choose, TCP on 127.0.0.1 only, trust auth.
# PostgreSQL refuses to run as root, so as root every server command runs as the system user 'postgres'.
# Commands that may start the server close fd 9 (9>&-): cluster.sh holds its lock there, and a long-lived
# postmaster must not keep it.
[[ -n ${_LIB_POSTGRES_SH:-} ]] && return 0
_LIB_POSTGRES_SH=1
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"
source "$(dirname "${BASH_SOURCE[0]}")/ports.sh"

PG_BIN=""   # set by pg_find_bin / pg_require_bin: folder of initdb, pg_ctl, psql, createdb (newest major)

as_pg() { if (( EUID == 0 )); then runuser -u postgres -- "$@"; else "$@"; fi; }

# pg_find_bin: set PG_BIN from the installed server binaries, without installing; fails if there are none.
pg_find_bin() {
  local initdb
  initdb="$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1 || true)"
  [[ -n $initdb ]] || return 1
  PG_BIN="$(dirname "$initdb")"
}

# pg_require_bin: like pg_find_bin, but installs the server (package postgresql) if needed; exits on failure.
pg_require_bin() {
  if ! pg_find_bin; then
    apt_install postgresql   # its default cluster may fail to start; we never use it
    pg_find_bin || lib_die "initdb not found after installing postgresql"
  fi
  if (( EUID == 0 )); then id postgres >/dev/null 2>&1 || lib_die "system user 'postgres' is missing"; fi
}

# Major version of the binaries in PG_BIN (e.g. 15).
pg_major() { basename "$(dirname "$PG_BIN")"; }

# pg_prepare_dir DIR: create DIR (the parent of the data folder) owned by 'postgres' when we are root.
pg_prepare_dir() {
  mkdir -p "$1"
  if (( EUID == 0 )); then
    chown -R postgres: "$1"
    runuser -u postgres -- test -w "$1" \
      || { lib_error "user postgres cannot write $1 (is a parent folder not searchable?)"; return 1; }
  fi
}

# pg_initdb DATA LOG [INITDB-ARGS...]: a new cluster in DATA (its parent must be writable by postgres), superuser
# 'postgres', trust auth, UTF8, C locale. On failure shows LOG and fails.
pg_initdb() {
  local data=$1 log=$2
  shift 2
  (cd "$(dirname "$data")" && as_pg "$PG_BIN/initdb" -D "$data" -A trust -U postgres -E UTF8 --locale=C "$@") \
    >"$log" 2>&1 9>&- || { lib_tail "$log"; lib_error "initdb failed"; return 1; }
}

# pg_start DATA LOG PORT [SERVER-OPTIONS]: start the server on 127.0.0.1:PORT and wait (up to 60 s) until it
# accepts connections. SERVER-OPTIONS are extra postgres options, e.g. "-k DIR -c fsync=off". Fails silently
# (the caller decides whether to retry and shows LOG).
pg_start() {
  local data=$1 log=$2 port=$3 opts=${4:-}
  (cd "$(dirname "$data")" && as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$log" -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 $opts" start) >/dev/null 2>&1 9>&-
}

# pg_stop DATA [TIMEOUT]: fast shutdown (rolls back open transactions), else immediate (no checkpoint: like a
# crash, still safe). Never fails.
pg_stop() {
  local data=$1 t=${2:-30}
  (cd "$(dirname "$data")" && as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t "$t" stop) >/dev/null 2>&1 9>&- \
    || (cd "$(dirname "$data")" && as_pg "$PG_BIN/pg_ctl" -D "$data" -m immediate -w -t 10 stop) >/dev/null 2>&1 9>&- \
    || true
}

# pg_create_db PORT NAME: create database NAME on 127.0.0.1:PORT unless it exists.
pg_create_db() {
  local port=$1 name=$2 exists
  exists="$(PGCONNECT_TIMEOUT=5 "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -tAXc \
    "SELECT 1 FROM pg_database WHERE datname = '$name'")" || { lib_error "cannot connect to PostgreSQL on port $port"; return 1; }
  [[ $exists == 1 ]] && return 0
  PGCONNECT_TIMEOUT=5 "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U postgres "$name" \
    || { lib_error "createdb $name failed"; return 1; }
}

# pg_start_throwaway DIR DB: a disposable server for tests, installed if missing: data in DIR/data, Unix socket in
# DIR/sock, log DIR/postgres.log, a free port, no fsync (fast; the data is thrown away), database DB created.
# Sets PG_PORT, PG_DATA, PG_SOCKDIR, PG_LOG (and PG_BIN). Stop it with pg_stop_throwaway.
pg_start_throwaway() {
  local dir=$1 db=$2
  pg_require_bin
  pg_prepare_dir "$dir" || return 1
  PG_DATA="$dir/data" PG_SOCKDIR="$dir/sock" PG_LOG="$dir/postgres.log"
  as_pg mkdir -p "$PG_SOCKDIR" || return 1
  pick_free_port PG_PORT || return 1
  pg_initdb "$PG_DATA" "$dir/initdb.log" --no-sync || return 1
  # max_connections is high because each test silo/client keeps its own pool.
  pg_start "$PG_DATA" "$PG_LOG" "$PG_PORT" \
      "-k $PG_SOCKDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
    || { lib_tail "$PG_LOG"; lib_error "PostgreSQL did not start on port $PG_PORT"; return 1; }
  pg_create_db "$PG_PORT" "$db"
}

# pg_stop_throwaway: stop the server of pg_start_throwaway at once (no checkpoint), if it runs. Quiet; never fails.
pg_stop_throwaway() {
  [[ -n ${PG_DATA:-} && -n $PG_BIN && -f $PG_DATA/postmaster.pid ]] || return 0
  (cd "$(dirname "$PG_DATA")" && as_pg "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 20 stop) >/dev/null 2>&1 9>&- || true
}
