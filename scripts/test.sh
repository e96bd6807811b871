#!/usr/bin/env bash
# Runs the whole test suite against throwaway PostgreSQL + Redis servers.
#
# Usage: scripts/test.sh [extra dotnet test args, e.g. --filter Category=Fast]
# If TEST_POSTGRES / TEST_REDIS are already set, the matching server is not started.
# The last line printed is always: "Tests: P passed, F failed, S skipped".
set -euo pipefail

# Work from the repo root no matter where we were called from (or via which symlink).
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Don't leave MSBuild worker nodes running after the script ends (CI waits on them).
export MSBUILDDISABLENODEREUSE=1

WORK="$(mktemp -d)"
PG_BIN="" PG_DATA="" REDIS_PIDFILE=""

# Stop whatever we started and remove the temp folder; runs on every exit path.
# Kept silent so the "Tests:" summary stays the last line of output.
cleanup() {
  local rc=$?
  set +e
  if [[ -n "$PG_DATA" && -f "$PG_DATA/postmaster.pid" ]]; then
    runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -m immediate -w -t 20 stop >/dev/null 2>&1
  fi
  if [[ -n "$REDIS_PIDFILE" && -f "$REDIS_PIDFILE" ]]; then
    local pid; pid="$(cat "$REDIS_PIDFILE" 2>/dev/null)"
    if [[ -n "$pid" ]]; then
      kill "$pid" 2>/dev/null
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null
    fi
  fi
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
# Turn signals into a normal exit so the EXIT trap does the cleanup.
trap 'exit 130' INT
trap 'exit 143' TERM

# apt-get update is slow; do it at most once per run, and only if we must install.
APT_UPDATED=0
apt_install() {
  if [[ $APT_UPDATED == 0 ]]; then
    echo "Installing $* (apt-get update first)..."
    apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" </dev/null
}

# Pick a port nobody is listening on. Stays below the kernel's ephemeral range
# (32768+) so outgoing connections are unlikely to grab it before we bind.
USED_PORTS=" "
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 12000))
    [[ "$USED_PORTS" == *" $p "* ]] && continue
    # A refused connection means the port is free.
    if ! timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p" 2>/dev/null; then
      USED_PORTS+="$p "
      echo "$p"
      return 0
    fi
  done
  echo "ERROR: could not find a free TCP port" >&2
  return 1
}

# ---------------------------------------------------------------- PostgreSQL
if [[ -z "${TEST_POSTGRES:-}" ]]; then
  find_initdb() { ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1; }
  if [[ -z "$(find_initdb)" ]]; then
    apt_install postgresql   # its default cluster may fail to start; we don't use it
  fi
  INITDB="$(find_initdb)"
  [[ -n "$INITDB" ]] || { echo "ERROR: initdb not found after installing postgresql" >&2; exit 1; }
  id postgres >/dev/null 2>&1 || { echo "ERROR: system user 'postgres' is missing" >&2; exit 1; }
  PG_BIN="$(dirname "$INITDB")"
  PG_PORT="$(free_port)"
  PG_DATA="$WORK/pgdata"
  PG_SOCKDIR="$WORK/pgsock"
  PG_LOG="$WORK/postgres.log"
  # Postgres refuses to run as root, so everything it touches belongs to 'postgres'.
  mkdir -p "$PG_SOCKDIR"
  chown -R postgres:postgres "$WORK"

  # trust auth + no fsync: fast and fine for disposable test data.
  (cd "$WORK" && runuser -u postgres -- "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U postgres \
      -E UTF8 --locale=C --no-sync >"$WORK/initdb.log" 2>&1) \
    || { cat "$WORK/initdb.log" >&2; echo "ERROR: initdb failed" >&2; exit 1; }
  # max_connections is high because each test silo/client keeps its own pool.
  (cd "$WORK" && runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 60 \
      -o "-p $PG_PORT -k $PG_SOCKDIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null) \
    || { cat "$PG_LOG" >&2 || true; echo "ERROR: PostgreSQL did not start" >&2; exit 1; }
  "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres learning_test

  export TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=learning_test;Pooling=true;Maximum Pool Size=100"
  # Failure tests use these to stop/restart the server themselves (as user postgres).
  export TEST_PG_BIN="$PG_BIN" TEST_PG_DATA="$PG_DATA" TEST_PG_PORT="$PG_PORT" \
         TEST_PG_SOCKDIR="$PG_SOCKDIR" TEST_PG_LOG="$PG_LOG"
  echo "PostgreSQL: 127.0.0.1:$PG_PORT (data $PG_DATA)"
else
  echo "PostgreSQL: using TEST_POSTGRES from environment"
fi

# --------------------------------------------------------------------- Redis
if [[ -z "${TEST_REDIS:-}" ]]; then
  if ! command -v redis-server >/dev/null 2>&1; then
    apt_install redis-server
  fi
  REDIS_PORT="$(free_port)"
  REDIS_PIDFILE="$WORK/redis.pid"
  # No persistence: tests must not depend on data surviving a restart.
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --pidfile "$REDIS_PIDFILE" --dir "$WORK" --logfile "$WORK/redis.log" >/dev/null
  for _ in $(seq 100); do   # up to ~10 s
    [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]] && break
    sleep 0.1
  done
  if [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" != PONG ]]; then
    cat "$WORK/redis.log" >&2 || true
    echo "ERROR: Redis did not answer PING on port $REDIS_PORT within 10 s" >&2
    exit 1
  fi
  export TEST_REDIS="127.0.0.1:$REDIS_PORT"
  echo "Redis: 127.0.0.1:$REDIS_PORT"
else
  echo "Redis: using TEST_REDIS from environment"
fi

# ------------------------------------------------------------- docker-compose
# The deployment tests validate docker/docker-compose.yml offline with the v1 client (`config`; no Docker engine
# needed). About 27 s to install here, apt-get update included. Not fatal: only those tests fail without it.
if ! command -v docker-compose >/dev/null 2>&1; then
  apt_install docker-compose || echo "WARNING: could not install docker-compose; the compose file tests will fail" >&2
fi

# ---------------------------------------------------------------------- Tests
TEST_LOG="$WORK/dotnet-test.log"
# Tests that measure something (fail-over times, ...) leave their figures here; they are printed after the run.
export TEST_REPORT_DIR="$WORK/reports"
# Capture the exit code ourselves: a failing run must still reach the summary.
set +e
dotnet test Orleans.Learning.sln -c Release "$@" 2>&1 | tee "$TEST_LOG"
rc=${PIPESTATUS[0]}
set -e

# Sum the per-project lines, e.g.
#   Passed!  - Failed:     0, Passed:    42, Skipped:     0, Total:    42, Duration: 3 s - Foo.Tests.dll (net10.0)
# (colour codes stripped first, in case the output was coloured).
read -r found passed failed skipped < <(
  sed 's/\x1b\[[0-9;]*[A-Za-z]//g' "$TEST_LOG" |
  grep -E '(Passed|Failed)! +- +Failed: *[0-9]+, +Passed: *[0-9]+, +Skipped: *[0-9]+' |
  sed -E 's/.*Failed: *([0-9]+), +Passed: *([0-9]+), +Skipped: *([0-9]+).*/\1 \2 \3/' |
  awk '{ n++; f += $1; p += $2; s += $3 } END { printf "%d %d %d %d\n", n, p, f, s }'
)

for report in "$TEST_REPORT_DIR"/*.txt; do
  [[ -f $report ]] && { echo; cat "$report"; }
done

echo
if [[ $found == 0 ]]; then
  echo "ERROR: no test summary found - the build or test run failed, or no test project ran (dotnet test exit code $rc)."
  echo "Tests: 0 passed, 1 failed, 0 skipped"
  exit $(( rc != 0 ? rc : 1 ))
fi
echo "Tests: $passed passed, $failed failed, $skipped skipped"

if (( rc != 0 )); then exit "$rc"; fi
# Nothing executed (e.g. a --filter that matched nothing, or all skipped) counts as failure.
if (( failed > 0 || passed + failed == 0 )); then exit 1; fi
exit 0
