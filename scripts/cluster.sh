#!/usr/bin/env bash
# Local production-like cluster: PostgreSQL + Redis + N silos + 1 API, each its own process, all on 127.0.0.1.
#
# Usage: scripts/cluster.sh COMMAND [ARGS]
#   up [N]            build once (skipped with NO_BUILD=1), start PostgreSQL and Redis (unless CLUSTER_POSTGRES /
#                     CLUSTER_REDIS are given), apply the schema (`Learning.Silo.dll migrate`), start silos 1..N
#                     (default: the silos already known, at least 1) and the API, then wait (API_READY_TIMEOUT s)
#                     until GET /health/ready answers 200. The last line on stdout is the API base URL.
#                     Re-running it only starts what is not running (so it also revives killed silos 1..N).
#   add               start one more silo (next index); prints "silo=K pid=P silo_port=S gateway_port=G"
#   status            one line per process started here: role, pid, port(s), alive|dead
#   kill K            SIGKILL silo K (a failure test: no graceful shutdown, nothing cleaned up)
#   restart K         stop silo K gracefully (SIGTERM, up to STOP_TIMEOUT s, then SIGKILL) and start it again
#                     on the same ports; prints the same line as `add`
#   down [--purge]    stop the API, the silos, Redis and PostgreSQL (only processes started here); keeps logs,
#                     the database files and the secrets. --purge also deletes the database files, Redis folder,
#                     secrets.env and the TLS certificates (logs are still kept).
#   logs [-f] [NAME]  show the end of a log (or follow it): api (default), silo-K or K, migrate, postgres, redis, build
#   help              this text
#
# State lives in $CLUSTER_DIR (default: <repo>/.cluster): pids/, logs/, pg/ (database files), redis/,
# run.env (ports and connection strings of the running cluster), secrets.env (API signing keys and the
# bootstrap admin's email and password, mode 600), tls/ (a throwaway CA and the certificates silos and the API
# present to each other: Cluster:Tls, mutual TLS; made with openssl on the first `up`, keys mode 600).
#
# Environment (read by `up`; later commands reuse what `up` recorded until `down`):
#   API_PORT=5080            the API listens on http://127.0.0.1:API_PORT
#   SILO_PORT_BASE=11110     silo K listens on SILO_PORT_BASE+K ...
#   GATEWAY_PORT_BASE=30000  ... and its client gateway on GATEWAY_PORT_BASE+K
#   CLUSTER_POSTGRES         Npgsql connection string of an existing database: no PostgreSQL is started
#   CLUSTER_REDIS            connection string of an existing Redis (e.g. 127.0.0.1:6379): no Redis is started
#   NO_BUILD=1               do not run `dotnet build` (it is also skipped while silos or the API are running)
#   CLUSTER_ID=learning-local  Orleans cluster id; give each cluster sharing one Redis its own
#   MEDIA_ROOT=<repo>/Api/media  where the API keeps uploaded lesson files (the folder `dotnet run --project Api`
#                     uses too)
#   MAIL_DISCARD=1           silos drop mail (load tests) instead of writing .eml files to <state>/mail
# The catalog: silos and API run with Demo:Catalog and Media:ServePlaceholders on (production leaves both off), so
#   the cluster starts with the demo catalog (4 x 12 lessons, loaded into an empty catalog only) and every lesson
#   plays (a placeholder video until a file is uploaded). `up` says so.
# Timeouts in seconds: API_READY_TIMEOUT=90, STOP_TIMEOUT=30 (SIGTERM -> SIGKILL), SILO_READY_SECONDS=8 (a silo
#   alive this long counts as started even without a "started" log line), MIGRATE_TIMEOUT=120, LOCK_TIMEOUT=300.
# Test hooks: SILO_CMD / API_CMD replace the host command lines (shell words, e.g. "python3 /tmp/fake.py silo";
#   absolute paths, since they run in the repo root). The migration runs "$SILO_CMD migrate". Defaults:
#   dotnet <repo>/Silo/bin/Release/net10.0/Learning.Silo.dll and dotnet <repo>/Api/bin/Release/net10.0/Learning.Api.dll,
#   run from their bin folder so appsettings*.json next to the dll are found (as in a deployment).
set -euo pipefail
shopt -s nullglob   # an empty pids/ folder must give empty loops, not literal patterns

# Work from the repo root (global.json picks the SDK) no matter where we were called from.
SCRIPT="$(readlink -f "${BASH_SOURCE[0]}")"
ROOT="$(cd "$(dirname "$SCRIPT")/.." && pwd)"
cd "$ROOT"
# Shared with scripts/test.sh: installs (apt.sh), free ports (ports.sh), PostgreSQL and Redis servers.
LIB_PREFIX="cluster: "
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/ports.sh"
source "$ROOT/scripts/lib/apt.sh"
source "$ROOT/scripts/lib/postgres.sh"
source "$ROOT/scripts/lib/redis.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Don't leave MSBuild worker nodes running after the build.
export MSBUILDDISABLENODEREUSE=1

STATE="$(realpath -m "${CLUSTER_DIR:-$ROOT/.cluster}")"   # absolute: the hosts run in other folders
LOGS="$STATE/logs" PIDS="$STATE/pids" RUN_ENV="$STATE/run.env" SECRETS="$STATE/secrets.env" TLS_DIR="$STATE/tls"
PG_DIR="$STATE/pg" REDIS_DIR="$STATE/redis"
MAIL_DIR="$STATE/mail"
PG_DATA="$PG_DIR/data"

API_READY_TIMEOUT="${API_READY_TIMEOUT:-90}"
STOP_TIMEOUT="${STOP_TIMEOUT:-30}"
SILO_READY_SECONDS="${SILO_READY_SECONDS:-8}"
MIGRATE_TIMEOUT="${MIGRATE_TIMEOUT:-120}"
LOCK_TIMEOUT="${LOCK_TIMEOUT:-300}"

SERVICE_ID=learning
SILO_BIN="$ROOT/Silo/bin/Release/net10.0" API_BIN="$ROOT/Api/bin/Release/net10.0"
DEFAULT_SILO_CMD="dotnet $(printf %q "$SILO_BIN/Learning.Silo.dll")"
DEFAULT_API_CMD="dotnet $(printf %q "$API_BIN/Learning.Api.dll")"

usage() { sed -n '2,/^set -euo/{/^#/{s/^# \{0,1\}//;p}}' "$SCRIPT"; }
say() { printf 'cluster: %s\n' "$*" >&2; }
die() { printf 'cluster: ERROR: %s\n' "$*" >&2; exit 1; }

# Last lines of a log, indented, on stderr (for failure reports). With OFFSET, only what was written
# after that byte (the current run: logs are appended to across restarts).
show_tail() { # FILE [LINES] [OFFSET]
  local f=$1 n=${2:-40} off=${3:-0}
  if [[ -f $f ]] && (( $(stat -c %s "$f") > off )); then
    printf -- '----- last %s lines of %s%s -----\n' "$n" "$f" "$( (( off > 0 )) && echo ' (this run)')" >&2
    tail -c "+$((off + 1))" "$f" | tail -n "$n" | sed 's/^/  | /' >&2
  else
    printf -- '----- %s: nothing written%s -----\n' "$f" "$( (( off > 0 )) && echo ' in this run')" >&2
  fi
}

for v in API_READY_TIMEOUT STOP_TIMEOUT SILO_READY_SECONDS MIGRATE_TIMEOUT LOCK_TIMEOUT; do
  [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a whole number of seconds (got '${!v}')"
done

# ------------------------------------------------------------------ helpers: ports

# Free ports for PostgreSQL/Redis (pick_free_port, scripts/lib/ports.sh) come from 20000-29999, away from the
# silo/gateway/API ports we hand out ourselves.
FREE_PORT_MIN=20000 FREE_PORT_SPAN=10000
free_port_excluded() {
  (( $1 > C_SILO_BASE && $1 <= C_SILO_BASE + 1000 )) && return 0
  (( $1 > C_GW_BASE && $1 <= C_GW_BASE + 1000 )) && return 0
  (( $1 == C_API_PORT ))
}

# ------------------------------------------------------------------ helpers: processes and pid files
#
# A pid file holds "PID STARTTIME" and "contains:TEXT". A pid counts as ours only while that process runs
# with the same start time (so a recycled pid never matches) and its command line contains TEXT.
# Nothing is ever signalled without that check.

# Field N of /proc/PID/stat counted after "(comm) ": 1 = state, 20 = start time in clock ticks since boot.
proc_field() {
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) }
  awk -v n="$2" '{ print $n }' <<<"$s"
}
proc_cmdline() { tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline" | sed 's/ $//'; }

write_pidfile() { # FILE PID MATCH-TEXT
  local st
  st=$(proc_field "$2" 20) || return 1
  printf '%s %s\ncontains:%s\n' "$2" "$st" "$3" >"$1.tmp"
  mv -f "$1.tmp" "$1"
}

# Prints the pid recorded in FILE if that very process still runs (not a zombie); fails otherwise.
live_pid() {
  local f=$1 pid st match state
  [[ -f $f ]] || return 1
  { read -r pid st && IFS= read -r match; } 2>/dev/null <"$f" || return 1
  [[ $pid =~ ^[0-9]+$ && $match == contains:?* ]] || return 1
  state=$(proc_field "$pid" 1) || return 1
  [[ $state != Z && $state != X ]] || return 1
  [[ "$(proc_field "$pid" 20)" == "$st" ]] || return 1
  [[ "$(proc_cmdline "$pid")" == *"${match#contains:}"* ]] || return 1
  echo "$pid"
}
recorded_pid() { local pid; read -r pid _ 2>/dev/null <"$1" && echo "$pid"; }

# Send SIG to the process of FILE, re-checking it is ours right before.
signal_ours() { local pid; pid=$(live_pid "$2") || return 1; kill "-$1" "$pid" 2>/dev/null; }

# Wait up to SECS for the process of FILE to be gone.
wait_gone() {
  local f=$1 end=$((SECONDS + $2))
  while live_pid "$f" >/dev/null; do
    (( SECONDS < end )) || return 1
    sleep 0.2
  done
}

# SIGTERM, wait up to TIMEOUT s, then SIGKILL as a last resort (and say so). No-op if not running.
stop_gracefully() { # NAME FILE TIMEOUT
  local name=$1 f=$2 t=$3 pid
  pid=$(live_pid "$f") || return 0
  say "stopping $name (pid $pid, SIGTERM)"
  signal_ours TERM "$f" || return 0
  if ! wait_gone "$f" "$t"; then
    say "$name (pid $pid) did not exit within ${t}s after SIGTERM; sending SIGKILL"
    signal_ours KILL "$f" || true
    wait_gone "$f" 10 || say "WARNING: $name (pid $pid) still running after SIGKILL"
  fi
}

# Start CMD (shell words) + ARGS detached (own session, stdin /dev/null, output appended to LOG) in DIR with
# the NAME=VALUE items of the array ENVARRAY exported. The launcher shell writes its pid and the text its
# command line will contain, then execs in place, so the recorded pid is the host's own pid.
# The lock's fd 9 is closed so a long-lived child never holds the lock.
# shellcheck disable=SC2016   # expanded by the launcher shell, not here
LAUNCHER='info=$1 c=$2; shift 2; eval "set -- $c \"\$@\""
if (($# > 1)); then m="${*:2}"; else m="${1##*/}"; fi
printf "%s\n%s\n" "$$" "$m" >"$info.tmp" && mv -f "$info.tmp" "$info"
exec "$@"'
launch() { # PIDFILE LOG DIR ENVARRAY CMD [ARGS...]  -> prints the pid
  local pidfile=$1 log=$2 dir=$3 cmd=$5
  local -n envs=$4
  shift 5
  local info="$pidfile.launch" pid="" match="" _
  rm -f "$info" "$pidfile"
  ( cd "$dir" && export "${envs[@]}" && exec setsid bash -c "$LAUNCHER" cluster-launcher "$info" "$cmd" "$@" ) \
    </dev/null >>"$log" 2>&1 9>&- &
  for _ in $(seq 100); do   # up to ~5 s for the launcher to report
    if [[ -f $info ]]; then
      { read -r pid; IFS= read -r match; } <"$info"
      break
    fi
    sleep 0.05
  done
  rm -f "$info"
  [[ -n $pid ]] || return 1
  write_pidfile "$pidfile" "$pid" "$match" || return 1   # fails if it already died
  echo "$pid"
}

# ------------------------------------------------------------------ state, lock, configuration

take_lock() {
  mkdir -p "$LOGS" "$PIDS"
  exec 9>"$STATE/.lock"
  flock -w "$LOCK_TIMEOUT" 9 || die "another cluster.sh command holds $STATE/.lock (waited ${LOCK_TIMEOUT}s)"
}

has_pidfiles() { local f; for f in "$PIDS"/*.pid; do return 0; done; return 1; }
silo_indexes() { # known silo indexes, ascending
  local f
  for f in "$PIDS"/silo-*.pid; do f=${f##*/silo-}; echo "${f%.pid}"; done | sort -n
}
max_silo_index() { local m; m=$(silo_indexes | tail -n 1); echo "${m:-0}"; }
any_alive() { local f; for f in "$PIDS"/*.pid; do live_pid "$f" >/dev/null && return 0; done; return 1; }
hosts_alive() { # any silo or the API running (then their dlls must not be rebuilt under them)
  local f; for f in "$PIDS"/silo-*.pid "$PIDS/api.pid"; do
    live_pid "$f" >/dev/null && return 0
  done
  return 1
}

CONFIG_VARS=(C_API_PORT C_SILO_BASE C_GW_BASE C_PG_MANAGED C_PG_PORT C_PG_CONN C_REDIS_MANAGED C_REDIS_PORT
             C_REDIS_CONN C_SILO_CMD C_API_CMD C_CLUSTER_ID)
save_config() {
  local v
  for v in "${CONFIG_VARS[@]}"; do printf '%s=%q\n' "$v" "${!v}"; done >"$RUN_ENV.tmp"
  mv -f "$RUN_ENV.tmp" "$RUN_ENV"
}
load_config() {
  if [[ ! -f $RUN_ENV ]] || ! any_alive; then die "no cluster is up in $STATE (run: scripts/cluster.sh up N)"; fi
  # shellcheck source=/dev/null
  source "$RUN_ENV"
}

# Environment values only apply when a cluster is set up; say so when one is ignored.
warn_ignored() { # ENVNAME RECORDED
  local v=$1
  if [[ -n ${!v:-} && ${!v} != "$2" ]]; then
    say "ignoring $v=${!v}: the running cluster uses '$2' (run down first to change it)"
  fi
}

init_or_load_config() {
  if [[ -f $RUN_ENV ]]; then
    # shellcheck source=/dev/null
    source "$RUN_ENV"
    warn_ignored API_PORT "$C_API_PORT"; warn_ignored SILO_PORT_BASE "$C_SILO_BASE"
    warn_ignored GATEWAY_PORT_BASE "$C_GW_BASE"; warn_ignored SILO_CMD "$C_SILO_CMD"; warn_ignored API_CMD "$C_API_CMD"
    (( C_PG_MANAGED == 0 )) && warn_ignored CLUSTER_POSTGRES "$C_PG_CONN"
    (( C_REDIS_MANAGED == 0 )) && warn_ignored CLUSTER_REDIS "$C_REDIS_CONN"
    return 0
  fi
  C_API_PORT="${API_PORT:-5080}" C_SILO_BASE="${SILO_PORT_BASE:-11110}" C_GW_BASE="${GATEWAY_PORT_BASE:-30000}"
  local v
  for v in C_API_PORT C_SILO_BASE C_GW_BASE; do
    if ! [[ ${!v} =~ ^[0-9]+$ ]] || (( ${!v} >= 65000 )); then die "bad port number for $v: '${!v}'"; fi
  done
  C_PG_CONN="${CLUSTER_POSTGRES:-}" C_PG_PORT="" C_PG_MANAGED=1
  [[ -n $C_PG_CONN ]] && C_PG_MANAGED=0
  C_REDIS_CONN="${CLUSTER_REDIS:-}" C_REDIS_PORT="" C_REDIS_MANAGED=1
  [[ -n $C_REDIS_CONN ]] && C_REDIS_MANAGED=0
  C_SILO_CMD="${SILO_CMD:-$DEFAULT_SILO_CMD}" C_API_CMD="${API_CMD:-$DEFAULT_API_CMD}"
  C_CLUSTER_ID="${CLUSTER_ID:-learning-local}"
  save_config
}

# The real hosts run from their bin folder (appsettings*.json there); test stand-ins from the repo root.
silo_workdir() { if [[ $C_SILO_CMD == "$DEFAULT_SILO_CMD" ]]; then echo "$SILO_BIN"; else echo "$ROOT"; fi; }
api_workdir() { if [[ $C_API_CMD == "$DEFAULT_API_CMD" ]]; then echo "$API_BIN"; else echo "$ROOT"; fi; }
check_built() {
  if [[ $C_SILO_CMD == "$DEFAULT_SILO_CMD" && ! -f $SILO_BIN/Learning.Silo.dll ]]; then
    die "$SILO_BIN/Learning.Silo.dll not found (build first, or run up without NO_BUILD=1)"
  fi
  if [[ $C_API_CMD == "$DEFAULT_API_CMD" && ! -f $API_BIN/Learning.Api.dll ]]; then
    die "$API_BIN/Learning.Api.dll not found (build first, or run up without NO_BUILD=1)"
  fi
}

# Random API signing keys, made once and reused by every restart (tokens stay valid across restarts).
ensure_secrets() {
  if [[ ! -s $SECRETS ]]; then
    ( umask 077
      { printf 'Jwt__SigningKey=%s\n' "$(head -c 48 /dev/urandom | base64 -w0)"
        printf 'Media__SigningKey=%s\n' "$(head -c 48 /dev/urandom | base64 -w0)"
        # The first admin of this cluster (production mode has no demo users).
        printf 'Bootstrap__AdminEmail=%s\n' "admin@cluster.local"
        printf 'Bootstrap__AdminPassword=%s\n' "$(head -c 18 /dev/urandom | base64 -w0)"; } >"$SECRETS.tmp" )
    mv -f "$SECRETS.tmp" "$SECRETS"
    say "generated API signing keys in $SECRETS"
  fi
  chmod 600 "$SECRETS"
}
secret() { sed -n "s/^$1=//p" "$SECRETS" | tail -n 1; }

# A throwaway CA and the certificates it signs, made once and reused by every restart: silos present silo.crt
# (serverAuth and clientAuth: they accept and open connections), the API api.crt (clientAuth); each accepts only
# peers this CA signed. The CA's key is deleted once both are issued. docs/deploy.md, Cluster TLS, does the same.
ensure_tls() {
  local f missing=0
  for f in ca.crt silo.crt silo.key api.crt api.key; do [[ -s $TLS_DIR/$f ]] || missing=1; done
  (( missing )) || return 0
  command -v openssl >/dev/null || die "openssl is needed to make the cluster's TLS certificates (apt-get install -y openssl)"
  rm -rf "$TLS_DIR" "$TLS_DIR.tmp"
  mkdir -p "$TLS_DIR.tmp"
  # shellcheck disable=SC2016   # expanded by the inner shell
  ( umask 077 && cd "$TLS_DIR.tmp" && bash -euc '
      key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"; }
      key ca
      openssl req -x509 -new -key ca.key -out ca.crt -days 825 -subj "/CN=learning-local-cluster-ca" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
      for role in silo:serverAuth,clientAuth api:clientAuth; do
        name=${role%%:*}
        key "$name"
        openssl req -new -key "$name.key" -out "$name.csr" -subj "/CN=learning-local-$name"
        printf "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\n" "${role#*:}" >"$name.ext"
        openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 -sha256 -extfile "$name.ext" -out "$name.crt"
      done
      rm -f ca.key ca.srl ./*.csr ./*.ext' ) >>"$LOGS/tls.log" 2>&1 \
    || { show_tail "$LOGS/tls.log" 20; die "could not make the TLS certificates with openssl"; }
  mv "$TLS_DIR.tmp" "$TLS_DIR"
  say "generated a throwaway cluster CA and silo/API certificates in $TLS_DIR"
}
tls_env() { # NAME -> the Cluster:Tls settings of a process presenting NAME.crt
  printf '%s\n' "Cluster__Tls__CertificatePath=$TLS_DIR/$1.crt" "Cluster__Tls__KeyPath=$TLS_DIR/$1.key" "Cluster__Tls__CaPath=$TLS_DIR/ca.crt"
}

silo_port() { echo $((C_SILO_BASE + $1)); }
gateway_port() { echo $((C_GW_BASE + $1)); }

# Production-like, but with something to watch: the demo catalog and placeholder videos (see the header). Silos need
# them too: the catalog grain loads the demo, and the start rule decides whether a lesson has media.
CATALOG_ENV=(Demo__Catalog=true Media__ServePlaceholders=true)

silo_env() { # K -> ENV_ARR
  ENV_ARR=(DOTNET_ENVIRONMENT=Production "${CATALOG_ENV[@]}"
    "ConnectionStrings__Postgres=$C_PG_CONN" "ConnectionStrings__Redis=$C_REDIS_CONN"
    "Cluster__SiloPort=$(silo_port "$1")" "Cluster__GatewayPort=$(gateway_port "$1")"
    "Cluster__ClusterId=$C_CLUSTER_ID" "Cluster__ServiceId=$SERVICE_ID")
  # Mail goes to .eml files (or nowhere, for load tests); its links point at this cluster's API.
  if [[ ${MAIL_DISCARD:-0} == 1 ]]; then ENV_ARR+=(Email__Discard=true); else ENV_ARR+=("Email__PickupDirectory=$MAIL_DIR"); fi
  ENV_ARR+=("Email__PublicBaseUrl=http://127.0.0.1:$C_API_PORT")
  mapfile -t -O "${#ENV_ARR[@]}" ENV_ARR < <(tls_env silo)
}
api_env() {
  local jwt media admin_email admin_password
  jwt=$(secret Jwt__SigningKey) media=$(secret Media__SigningKey)
  admin_email=$(secret Bootstrap__AdminEmail) admin_password=$(secret Bootstrap__AdminPassword)
  [[ -n $jwt && -n $media ]] || die "$SECRETS lacks Jwt__SigningKey or Media__SigningKey (delete it to regenerate)"
  ENV_ARR=(DOTNET_ENVIRONMENT=Production ASPNETCORE_ENVIRONMENT=Production
    "ASPNETCORE_URLS=http://127.0.0.1:$C_API_PORT" Cluster__Mode=Client
    "Cluster__ClusterId=$C_CLUSTER_ID" "Cluster__ServiceId=$SERVICE_ID"
    "ConnectionStrings__Postgres=$C_PG_CONN" "ConnectionStrings__Redis=$C_REDIS_CONN"
    "AllowedHosts=127.0.0.1;localhost" "Jwt__SigningKey=$jwt" "Media__SigningKey=$media"
    "Bootstrap__AdminEmail=$admin_email" "Bootstrap__AdminPassword=$admin_password"
    # Plain HTTP on loopback, and load tests send everything from one address: no HTTPS redirect, no quotas.
    Security__RequireHttps=false RateLimits__Enabled=false
    # The API runs in its bin folder: keep lesson files in Api/media (MEDIA_ROOT).
    "Media__Root=${MEDIA_ROOT:-$ROOT/Api/media}" "${CATALOG_ENV[@]}")
  mapfile -t -O "${#ENV_ARR[@]}" ENV_ARR < <(tls_env api)
}

# Append a banner and print the log size after it, so readiness checks only read this run's output.
log_banner() { # LOG TEXT
  printf '\n===== cluster.sh: %s at %s =====\n' "$2" "$(date '+%F %T')" >>"$1"
  stat -c %s "$1"
}

# ------------------------------------------------------------------ PostgreSQL

# Servers, binaries and installs: scripts/lib/postgres.sh (as_pg, pg_require_bin, pg_initdb, pg_start, ...).

start_postgres() {
  pg_require_bin
  local port pid major old state i try
  major="$(pg_major)"

  touch "$LOGS/postgres.log"
  if (( EUID == 0 )); then chown postgres: "$LOGS/postgres.log"; fi
  pg_prepare_dir "$PG_DIR" || die "PostgreSQL cannot use $PG_DIR; set CLUSTER_DIR elsewhere"
  if [[ -f $PG_DATA/PG_VERSION ]]; then
    [[ "$(cat "$PG_DATA/PG_VERSION")" == "$major" ]] \
      || die "$PG_DATA is from PostgreSQL $(cat "$PG_DATA/PG_VERSION"), binaries are $major; run: scripts/cluster.sh down --purge"
  else
    rm -rf "$PG_DATA"
    say "initializing PostgreSQL $major data in $PG_DATA"
    # fsync stays on for initdb too: this cluster is meant to behave like production.
    pg_initdb "$PG_DATA" "$LOGS/initdb.log" || exit 1   # the library showed the log and the error
  fi

  # Keep the port of a running cluster (its hosts have it in their connection string) if still free.
  port="$C_PG_PORT"
  if [[ -n $port ]] && port_in_use "$port"; then
    hosts_alive && die "PostgreSQL port $port (used by the running hosts) is taken by another process"
    port=""
  fi
  [[ -n $port ]] || pick_free_port port || exit 1
  # A postmaster that just crashed (e.g. SIGKILL) can linger a few seconds (unreaped, or its backends still
  # exiting); Postgres refuses to start on its data dir until it is gone. A live one is not ours to touch.
  old="$(head -n 1 "$PG_DATA/postmaster.pid" 2>/dev/null || true)"
  if [[ $old =~ ^[0-9]+$ ]]; then
    for i in $(seq 75); do   # up to ~15 s
      state=$(proc_field "$old" 1) || break                          # gone
      if [[ $state != Z ]]; then
        [[ "$(proc_cmdline "$old")" == *"$PG_DATA"* ]] || break      # pid reused by another program: pg_ctl judges
        (( i < 25 )) || die "a PostgreSQL not started by this state (pid $old) runs on $PG_DATA; stop it with: $PG_BIN/pg_ctl -D $PG_DATA stop (as user postgres)"
      fi
      sleep 0.2
    done
  fi
  # Only TCP on 127.0.0.1 (no Unix socket). fsync on, synchronous_commit off: durable data files, and commits
  # don't wait for the WAL flush (close to a tuned production server). Many connections: every host has a pool.
  # Retried twice: leftover backends of a crashed server may hold its shared memory for a moment.
  for try in 1 2 3; do
    pg_start "$PG_DATA" "$LOGS/postgres.log" "$port" \
      "-c unix_socket_directories='' -c fsync=on -c synchronous_commit=off -c max_connections=300" && break
    (( try < 3 )) || { show_tail "$LOGS/postgres.log"; die "PostgreSQL did not start on port $port"; }
    say "PostgreSQL did not start (attempt $try); retrying in 3 s"
    sleep 3
  done
  pid="$(head -n 1 "$PG_DATA/postmaster.pid")"
  write_pidfile "$PIDS/postgres.pid" "$pid" "$PG_DATA" || die "PostgreSQL (pid $pid) exited right after starting"

  pg_create_db "$port" learning || exit 1
  C_PG_PORT="$port"
  C_PG_CONN="Host=127.0.0.1;Port=$port;Username=postgres;Database=learning;Maximum Pool Size=50;Timeout=5;Command Timeout=15"
  save_config
  say "PostgreSQL: 127.0.0.1:$port (pid $pid, data $PG_DATA)"
}

stop_postgres() {
  local pid
  pid=$(live_pid "$PIDS/postgres.pid") || return 0
  say "stopping PostgreSQL (pid $pid)"
  if pg_find_bin; then pg_stop "$PG_DATA" "$STOP_TIMEOUT"; fi
  if ! wait_gone "$PIDS/postgres.pid" 5; then
    say "PostgreSQL (pid $pid) did not stop through pg_ctl; sending SIGKILL"
    signal_ours KILL "$PIDS/postgres.pid" || true
    wait_gone "$PIDS/postgres.pid" 10 || say "WARNING: PostgreSQL (pid $pid) still running"
  fi
}

# ------------------------------------------------------------------ Redis

start_redis() {
  redis_require
  local port pid=""
  port="$C_REDIS_PORT"
  if [[ -n $port ]] && port_in_use "$port"; then
    hosts_alive && die "Redis port $port (used by the running hosts) is taken by another process"
    port=""
  fi
  [[ -n $port ]] || pick_free_port port || exit 1
  # No persistence: it holds cluster membership and caches, both rebuilt by the hosts.
  redis_start "$port" "$REDIS_DIR" "$LOGS/redis.log" "$REDIS_DIR/redis.pid" || exit 1   # the library showed the log and the error
  pid="$(cat "$REDIS_DIR/redis.pid" 2>/dev/null || true)"
  [[ $pid =~ ^[0-9]+$ ]] || die "Redis answers on port $port but wrote no pid file"
  write_pidfile "$PIDS/redis.pid" "$pid" "redis-server" || die "Redis (pid $pid) exited right after starting"
  C_REDIS_PORT="$port" C_REDIS_CONN="127.0.0.1:$port"
  save_config
  say "Redis: 127.0.0.1:$port (pid $pid)"
}

# ------------------------------------------------------------------ silos and API

run_migrate() {
  local log="$LOGS/migrate.log" rc=0 off
  silo_env 1
  off=$(log_banner "$log" "migrate")
  say "applying the database schema (migrate)"
  # shellcheck disable=SC2016   # the inner shell expands $c and $@
  ( cd "$(silo_workdir)" && export "${ENV_ARR[@]}" \
      && exec timeout "$MIGRATE_TIMEOUT" bash -c 'c=$1; shift; eval "exec $c \"\$@\""' cluster-migrate "$C_SILO_CMD" migrate ) \
    </dev/null >>"$log" 2>&1 9>&- || rc=$?
  if (( rc != 0 )); then
    show_tail "$log" 40 "$off"
    (( rc == 124 )) && die "migrate did not finish within ${MIGRATE_TIMEOUT}s"
    die "migrate failed (exit code $rc)"
  fi
}

check_silo_ports() { # K: both ports must be free (a silo of ours on them would be running, i.e. not restarted)
  local sp gp
  sp=$(silo_port "$1") gp=$(gateway_port "$1")
  port_in_use "$sp" && die "silo $1: port $sp is already in use by another process (set SILO_PORT_BASE)"
  port_in_use "$gp" && die "silo $1: gateway port $gp is already in use by another process (set GATEWAY_PORT_BASE)"
  return 0
}

declare -a SILO_OFFSET=() SILO_T0=()   # per silo index: log size at launch, launch time
start_silo() { # K (does not wait; see wait_silos_ready)
  local k=$1 sp gp pid log="$LOGS/silo-$1.log"
  sp=$(silo_port "$k") gp=$(gateway_port "$k")
  check_silo_ports "$k"
  silo_env "$k"
  SILO_OFFSET[k]=$(log_banner "$log" "launching silo $k (ports $sp/$gp)")
  SILO_T0[k]=$SECONDS
  pid=$(launch "$PIDS/silo-$k.pid" "$log" "$(silo_workdir)" ENV_ARR "$C_SILO_CMD") \
    || { show_tail "$log" 40 "${SILO_OFFSET[$k]}"; die "silo $k exited immediately"; }
  say "silo $k: pid $pid, silo port $sp, gateway port $gp, log $log"
}

# A silo is up once its log (this run's part) has a line with "started", or it has been alive
# SILO_READY_SECONDS; if it dies meanwhile, show its log and fail.
wait_silos_ready() { # K...
  local pending=("$@") still k
  while (( ${#pending[@]} > 0 )); do
    still=()
    for k in "${pending[@]}"; do
      if ! live_pid "$PIDS/silo-$k.pid" >/dev/null; then
        show_tail "$LOGS/silo-$k.log" 40 "${SILO_OFFSET[$k]}"
        die "silo $k exited during startup"
      elif grep -qi started <(tail -c "+$((SILO_OFFSET[k] + 1))" "$LOGS/silo-$k.log"); then
        say "silo $k started"
      elif (( SECONDS - SILO_T0[k] >= SILO_READY_SECONDS )); then
        say "silo $k alive for ${SILO_READY_SECONDS}s (no \"started\" line in its log yet); carrying on"
      else
        still+=("$k")
      fi
    done
    pending=("${still[@]+"${still[@]}"}")
    (( ${#pending[@]} == 0 )) || sleep 0.2
  done
}

silo_line() { # K -> the line add/restart print
  echo "silo=$1 pid=$(recorded_pid "$PIDS/silo-$1.pid") silo_port=$(silo_port "$1") gateway_port=$(gateway_port "$1")"
}

API_OFFSET=0   # api.log size when this run launched the API
start_api() {
  local pid log="$LOGS/api.log"
  port_in_use "$C_API_PORT" && die "API port $C_API_PORT is already in use by another process (set API_PORT)"
  api_env
  API_OFFSET=$(log_banner "$log" "launching api (port $C_API_PORT)")
  pid=$(launch "$PIDS/api.pid" "$log" "$(api_workdir)" ENV_ARR "$C_API_CMD") \
    || { show_tail "$log" 40 "$API_OFFSET"; die "the API exited immediately"; }
  say "api: pid $pid, http://127.0.0.1:$C_API_PORT, log $log"
}

wait_api_ready() {
  local url="http://127.0.0.1:$C_API_PORT" code="" end=$((SECONDS + API_READY_TIMEOUT)) k
  while :; do
    if ! live_pid "$PIDS/api.pid" >/dev/null; then
      show_tail "$LOGS/api.log" 60 "$API_OFFSET"
      die "the API exited before $url/health/ready answered 200"
    fi
    # --noproxy: an http_proxy in the environment must not intercept loopback calls.
    code=$(curl -s -o /dev/null -w '%{http_code}' --noproxy '*' --max-time 2 "$url/health/ready" || true)
    [[ $code == 200 ]] && return 0
    (( SECONDS < end )) || break
    sleep 0.5
  done
  show_tail "$LOGS/api.log" 60 "$API_OFFSET"
  for k in $(silo_indexes); do show_tail "$LOGS/silo-$k.log" 20 "${SILO_OFFSET[$k]:-0}"; done
  die "$url/health/ready did not answer 200 within ${API_READY_TIMEOUT}s (last status: ${code:-none}); processes left running: see 'status', stop with 'down'"
}

# ------------------------------------------------------------------ commands

cmd_up() {
  local n=${1:-} k to_start=() already_up=1
  [[ -z $n || $n =~ ^[1-9][0-9]{0,2}$ ]] || die "up: N must be a positive number of silos (got '$n')"
  take_lock
  if { has_pidfiles || [[ -f $RUN_ENV ]]; } && ! any_alive; then
    say "previous cluster state in $STATE is stale (nothing it started is running); starting fresh"
    rm -f "$PIDS"/*.pid "$PIDS"/*.launch "$RUN_ENV"
  fi
  init_or_load_config
  if [[ -z $n ]]; then n=$(max_silo_index); (( n > 0 )) || n=1; fi
  (( C_SILO_BASE + n < 65536 && C_GW_BASE + n < 65536 )) || die "too many silos for the port bases"

  for k in $(seq "$n"); do live_pid "$PIDS/silo-$k.pid" >/dev/null || to_start+=("$k"); done
  live_pid "$PIDS/api.pid" >/dev/null || already_up=0
  (( ${#to_start[@]} == 0 )) || already_up=0
  if (( C_PG_MANAGED )) && ! live_pid "$PIDS/postgres.pid" >/dev/null; then already_up=0; fi
  if (( C_REDIS_MANAGED )) && ! live_pid "$PIDS/redis.pid" >/dev/null; then already_up=0; fi

  if (( already_up == 0 )); then
    # Fail before the slow steps if a port we need is taken by someone else.
    if ! live_pid "$PIDS/api.pid" >/dev/null && port_in_use "$C_API_PORT"; then
      die "API port $C_API_PORT is already in use by another process (set API_PORT)"
    fi
    for k in "${to_start[@]+"${to_start[@]}"}"; do check_silo_ports "$k"; done
    if [[ ${NO_BUILD:-0} == 1 ]]; then
      :
    elif hosts_alive; then
      # Rebuilding would overwrite dlls that running hosts have mapped.
      say "silos or the API are running: skipping the build (run down first to rebuild)"
    else
      say "building (dotnet build -c Release)"
      dotnet build "$ROOT/Orleans.Learning.sln" -c Release -v q -nologo 9>&- 2>&1 | tee "$LOGS/build.log" >&2 \
        || die "build failed (see $LOGS/build.log)"
    fi
    check_built
    ensure_secrets
    ensure_tls

    if (( C_PG_MANAGED == 0 )); then say "PostgreSQL: external (CLUSTER_POSTGRES)"
    elif live_pid "$PIDS/postgres.pid" >/dev/null; then say "PostgreSQL: already running on port $C_PG_PORT"
    else start_postgres; fi
    if (( C_REDIS_MANAGED == 0 )); then say "Redis: external (CLUSTER_REDIS)"
    elif live_pid "$PIDS/redis.pid" >/dev/null; then say "Redis: already running on port $C_REDIS_PORT"
    else start_redis; fi

    if (( ${#to_start[@]} > 0 )); then
      # The schema goes in once, before the first silo of the cluster starts.
      if ! hosts_alive; then run_migrate; fi
      for k in "${to_start[@]}"; do start_silo "$k"; done
      wait_silos_ready "${to_start[@]}"
    fi
    if live_pid "$PIDS/api.pid" >/dev/null; then say "api: already running"; else start_api; fi
  fi
  say "waiting for http://127.0.0.1:$C_API_PORT/health/ready (up to ${API_READY_TIMEOUT}s)"
  wait_api_ready
  if (( already_up )); then
    local alive=0
    for k in $(silo_indexes); do if live_pid "$PIDS/silo-$k.pid" >/dev/null; then alive=$((alive + 1)); fi; done
    say "cluster already up ($alive silo(s) running; see status)"
  else say "cluster up"; fi
  say "catalog: the demo catalog is loaded into an empty catalog (Demo:Catalog=true) and lessons without an uploaded file play a placeholder video (Media:ServePlaceholders=true); production leaves both off"
  if [[ ${MAIL_DISCARD:-0} == 1 ]]; then say "mail: discarded (MAIL_DISCARD=1)"; else say "mail: .eml files in $MAIL_DIR"; fi
  say "admin: $(secret Bootstrap__AdminEmail), password: sed -n 's/^Bootstrap__AdminPassword=//p' $SECRETS"
  echo "http://127.0.0.1:$C_API_PORT"
}

cmd_add() {
  local k
  take_lock
  load_config
  check_built
  ensure_tls
  k=$(( $(max_silo_index) + 1 ))
  start_silo "$k"
  wait_silos_ready "$k"
  silo_line "$k"
}

silo_arg() { # validates K for kill/restart
  [[ ${1:-} =~ ^[1-9][0-9]*$ ]] || die "expected a silo number K (1, 2, ...), got '${1:-}'"
  [[ -f $PIDS/silo-$1.pid ]] || die "silo $1 was not started by this script (known: $(silo_indexes | tr '\n' ' '))"
}

cmd_kill() {
  local k=${1:-} pid
  [[ -d $STATE ]] || die "no cluster state in $STATE"
  take_lock
  silo_arg "$k"
  pid=$(live_pid "$PIDS/silo-$k.pid") || die "silo $k is not running"
  signal_ours KILL "$PIDS/silo-$k.pid" || die "silo $k is not running"
  wait_gone "$PIDS/silo-$k.pid" 10 || die "silo $k (pid $pid) still running 10 s after SIGKILL"
  say "silo $k (pid $pid) killed with SIGKILL"
}

cmd_restart() {
  local k=${1:-}
  [[ -d $STATE ]] || die "no cluster state in $STATE"
  take_lock
  load_config
  silo_arg "$k"
  check_built
  ensure_tls
  stop_gracefully "silo $k" "$PIDS/silo-$k.pid" "$STOP_TIMEOUT"
  start_silo "$k"
  wait_silos_ready "$k"
  silo_line "$k"
}

cmd_down() {
  local purge=0 f k end pending
  case ${1:-} in --purge) purge=1 ;; "") ;; *) die "down: unknown option '$1'" ;; esac
  if [[ ! -d $STATE ]]; then say "nothing to stop ($STATE does not exist)"; return 0; fi
  take_lock
  if ! any_alive; then
    say "nothing running"
  else
    stop_gracefully api "$PIDS/api.pid" "$STOP_TIMEOUT"
    # All silos at once, one shared deadline.
    pending=()
    for k in $(silo_indexes); do
      if live_pid "$PIDS/silo-$k.pid" >/dev/null; then
        say "stopping silo $k (pid $(recorded_pid "$PIDS/silo-$k.pid"), SIGTERM)"
        signal_ours TERM "$PIDS/silo-$k.pid" && pending+=("$k")
      fi
    done
    end=$((SECONDS + STOP_TIMEOUT))
    for k in "${pending[@]+"${pending[@]}"}"; do
      if ! wait_gone "$PIDS/silo-$k.pid" $(( end > SECONDS ? end - SECONDS : 0 )); then
        say "silo $k did not exit within ${STOP_TIMEOUT}s after SIGTERM; sending SIGKILL"
        signal_ours KILL "$PIDS/silo-$k.pid" || true
        wait_gone "$PIDS/silo-$k.pid" 10 || say "WARNING: silo $k still running after SIGKILL"
      fi
    done
    # Servers last: silos write state and leave the membership table while shutting down.
    stop_gracefully redis "$PIDS/redis.pid" "$STOP_TIMEOUT"
    stop_postgres
  fi
  for f in "$PIDS"/*.pid; do
    if live_pid "$f" >/dev/null; then say "WARNING: $(basename "$f" .pid) is still running; keeping $f"; else rm -f "$f"; fi
  done
  rm -f "$PIDS"/*.launch "$PIDS"/*.tmp
  has_pidfiles || rm -f "$RUN_ENV"
  if (( purge )); then
    ! has_pidfiles || die "not purging: something is still running"
    rm -rf "$PG_DIR" "$REDIS_DIR" "$SECRETS" "$TLS_DIR"
    say "purged database files, Redis folder, secrets and TLS certificates (logs kept in $LOGS)"
  fi
  say "down (logs kept in $LOGS)"
}

cmd_status() {
  local f name role pid ports state any=0
  # shellcheck source=/dev/null
  if [[ -f $RUN_ENV ]]; then source "$RUN_ENV"; fi
  for name in postgres redis $(silo_indexes | sed 's/^/silo-/') api; do
    f="$PIDS/$name.pid"
    [[ -f $f ]] || continue
    any=1
    pid=$(recorded_pid "$f")
    case $name in
      postgres) role=postgres ports="port ${C_PG_PORT:-?}" ;;
      redis)    role=redis    ports="port ${C_REDIS_PORT:-?}" ;;
      api)      role=api      ports="port ${C_API_PORT:-?}" ;;
      silo-*)   role="silo ${name#silo-}"
                ports="ports $(( ${C_SILO_BASE:-11110} + ${name#silo-} ))/$(( ${C_GW_BASE:-30000} + ${name#silo-} ))" ;;
    esac
    if live_pid "$f" >/dev/null; then state=alive; else state=dead; fi
    printf '%-9s pid %-8s %-18s %s\n' "$role" "$pid" "$ports" "$state"
  done
  (( any )) || say "no processes started by cluster.sh (state folder $STATE)"
}

cmd_logs() {
  local follow=0 name file
  if [[ ${1:-} == -f ]]; then follow=1; shift; fi
  name=${1:-api}
  [[ $name =~ ^[0-9]+$ ]] && name="silo-$name"
  [[ $name == silo && -n ${2:-} ]] && name="silo-$2"
  file="$LOGS/$name.log"
  if [[ ! -f $file ]]; then
    local have=() f
    for f in "$LOGS"/*.log; do f=${f##*/}; have+=("${f%.log}"); done
    die "no log '$name' (have: ${have[*]:-none})"
  fi
  if (( follow )); then exec tail -n 100 -F "$file"; fi
  tail -n "${LOG_LINES:-100}" "$file"
}

cmd=${1:-help}
[[ $# -gt 0 ]] && shift
case $cmd in
  up)      cmd_up "$@" ;;
  add)     cmd_add ;;
  status)  cmd_status ;;
  kill)    cmd_kill "$@" ;;
  restart) cmd_restart "$@" ;;
  down)    cmd_down "$@" ;;
  logs)    cmd_logs "$@" ;;
  help|-h|--help) usage ;;
  *) usage >&2; die "unknown command '$cmd'" ;;
esac
