#!/usr/bin/env bash
# Runs the tests, and checks the code format.
#
# Usage: scripts/test.sh [--fast] [extra dotnet test args, e.g. --filter Category=Fast]
#   (no option)  everything: all test projects of Orleans.Learning.sln against throwaway PostgreSQL + Redis servers
#                (installed from Debian's packages if missing, like docker-compose for the deployment tests),
#                then `dotnet format whitespace` (of the files) + `style` (of the solution) --verify-no-changes.
#                Then the container tier, scripts/docker-test.sh (images, compose, TLS edge, faults, rolling upgrade;
#                needs root and a Docker engine, which it installs and starts; a machine where it cannot fails the run
#                with the reason, never a silent skip). TEST_CONTAINERS=0 leaves it out of a local run (CI never sets it);
#                a run of chosen TEST_PROJECTS leaves it out too.
#   --fast       tests/UnitTests and tests/FunctionalTests only (those that exist), without the classes marked
#                [Trait(Tier.Name, Tier.Slow)], no PostgreSQL, Redis or docker-compose; then `dotnet format whitespace`
#                (of the files) --verify-no-changes.
# TEST_PROJECTS="a.csproj b.csproj" runs those projects instead of the tier's own (servers are still started
# unless --fast). If TEST_POSTGRES / TEST_REDIS are already set, the matching server is not started.
# A format violation fails the run (the files are listed). The last line printed is always:
# "Tests: P passed, F failed, S skipped" (summed over all test projects that ran).
set -euo pipefail

# Work from the repo root no matter where we were called from (or via which symlink).
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
source "$ROOT/scripts/lib/common.sh"
source "$ROOT/scripts/lib/ports.sh"
source "$ROOT/scripts/lib/apt.sh"
source "$ROOT/scripts/lib/postgres.sh"
source "$ROOT/scripts/lib/redis.sh"
source "$ROOT/scripts/lib/chromium.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Don't leave MSBuild worker nodes running after the script ends (CI waits on them).
export MSBUILDDISABLENODEREUSE=1

SOLUTION=Orleans.Learning.sln
FAST_PROJECTS=(tests/UnitTests/UnitTests.csproj tests/FunctionalTests/FunctionalTests.csproj)

FAST=0
if [[ ${1:-} == --fast ]]; then FAST=1; shift; fi

# The fast tier leaves out the test classes marked [Trait(Tier.Name, Tier.Slow)] (tests/TestSupport/Tier.cs; README
# lists them); the full run has no such filter. A --filter of the caller's is combined with it.
if (( FAST )); then
  args=() filtered=0
  while (( $# > 0 )); do
    case $1 in
      --filter) args+=(--filter "(Tier!=Slow)&(${2:?--filter needs an expression})"); filtered=1; shift 2 ;;
      --filter=*) args+=(--filter "(Tier!=Slow)&(${1#--filter=})"); filtered=1; shift ;;
      *) args+=("$1"); shift ;;
    esac
  done
  (( filtered )) || args+=(--filter "Tier!=Slow")
  set -- "${args[@]}"
fi

WORK="$(mktemp -d)"
REDIS_PIDFILE=""

# Stop whatever we started and remove the temp folder; runs on every exit path.
# Kept silent so the "Tests:" summary stays the last line of output.
cleanup() {
  local rc=$?
  set +e
  pg_stop_throwaway
  [[ -n $REDIS_PIDFILE ]] && redis_stop "$REDIS_PIDFILE"
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
# Turn signals into a normal exit so the EXIT trap does the cleanup.
trap 'exit 130' INT
trap 'exit 143' TERM

# A failure before any test ran still ends with the summary line.
fail_early() { lib_error "$*"; echo; echo "Tests: 0 passed, 1 failed, 0 skipped"; exit 1; }
# The library exits with status 1 on a failed install; keep the summary line last in that case too.
lib_die() { fail_early "$@"; }

# ---------------------------------------------------------------- what to run
# One dotnet test invocation builds once and runs the test assemblies in parallel: the whole solution, or a
# solution filter (.slnf) holding just the chosen projects. A chosen project missing from the solution is run
# on its own after that.
TARGETS=()
if [[ -n ${TEST_PROJECTS:-} ]]; then
  read -r -a chosen <<<"$TEST_PROJECTS"
elif (( FAST )); then
  chosen=("${FAST_PROJECTS[@]}")
else
  chosen=()
  TARGETS=("$SOLUTION")
fi
if (( ${#chosen[@]} > 0 )); then
  in_sln=() alone=()
  for p in "${chosen[@]}"; do
    p="${p#./}"
    if [[ ! -f $p ]]; then echo "Skipping $p (not in this checkout)"; continue; fi
    # The solution lists projects with backslashes.
    if grep -qiF "\"${p//\//\\}\"" "$SOLUTION"; then in_sln+=("$p"); else alone+=("$p"); fi
  done
  if (( ${#in_sln[@]} > 0 )); then
    slnf="$WORK/selected.slnf"
    {
      printf '{ "solution": { "path": "%s", "projects": [' "$ROOT/$SOLUTION"
      sep=""
      for p in "${in_sln[@]}"; do printf '%s "%s"' "$sep" "$p"; sep=","; done
      printf ' ] } }\n'
    } >"$slnf"
    TARGETS+=("$slnf")
  fi
  TARGETS+=("${alone[@]+"${alone[@]}"}")
  (( ${#TARGETS[@]} > 0 )) || fail_early "none of the test projects exist: ${chosen[*]}"
  echo "Test projects: ${in_sln[*]-} ${alone[*]-}"
fi

# ---------------------------------------------------------- servers (full run)
if (( FAST == 0 )); then
  if [[ -z "${TEST_POSTGRES:-}" ]]; then
    # A folder of postgres' own inside ours: postgres must be able to reach it.
    chmod 711 "$WORK"
    pg_start_throwaway "$WORK/pg" learning_test || fail_early "could not start PostgreSQL"
    export TEST_POSTGRES="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=learning_test;Pooling=true;Maximum Pool Size=100"
    # Failure tests use these to stop/restart the server themselves (as user postgres).
    export TEST_PG_BIN="$PG_BIN" TEST_PG_DATA="$PG_DATA" TEST_PG_PORT="$PG_PORT" \
           TEST_PG_SOCKDIR="$PG_SOCKDIR" TEST_PG_LOG="$PG_LOG"
    echo "PostgreSQL: 127.0.0.1:$PG_PORT (data $PG_DATA)"
  else
    echo "PostgreSQL: using TEST_POSTGRES from environment"
  fi

  if [[ -z "${TEST_REDIS:-}" ]]; then
    redis_require
    pick_free_port REDIS_PORT || fail_early "no free port for Redis"
    REDIS_PIDFILE="$WORK/redis/redis.pid"
    redis_start "$REDIS_PORT" "$WORK/redis" "$WORK/redis/redis.log" "$REDIS_PIDFILE" || fail_early "could not start Redis"
    export TEST_REDIS="127.0.0.1:$REDIS_PORT"
    echo "Redis: 127.0.0.1:$REDIS_PORT"
  else
    echo "Redis: using TEST_REDIS from environment"
  fi

  # The deployment tests validate docker/docker-compose.yml offline with the v1 client (`config`; no Docker
  # engine needed). About 27 s to install here, apt-get update included.
  need_command docker-compose docker-compose
  # The browser tests drive Debian's Chromium.
  chromium_require
fi

# ---------------------------------------------------------------------- Tests
# The runtime settings of tests/in-process.runsettings (see there) for the short-lived .NET processes of this script
# too: MSBuild's up-to-date build before the tests and dotnet format spend most of their CPU on JIT work, and these
# settings cut it by a fifth to a third (measured: no-op build 10 -> 6.6 CPU-s, whitespace check 8.5 -> 6.8 CPU-s). Only in the
# fast tier for dotnet test: there the test processes use the settings anyway, while the full run's integration and
# deployment tests start processes of their own that would inherit them.
FAST_RUNTIME_ENV=(DOTNET_TC_CallCounting=0 DOTNET_EnableWriteXorExecute=0)
TEST_ENV=()
(( FAST )) && TEST_ENV=("${FAST_RUNTIME_ENV[@]}")
TEST_LOG="$WORK/dotnet-test.log"
: >"$TEST_LOG"
# Tests that measure something (fail-over times, ...) leave their figures here; they are printed after the run.
export TEST_REPORT_DIR="$WORK/reports"
# Capture the exit codes ourselves: a failing run must still reach the summary.
rc=0
set +e
for target in "${TARGETS[@]}"; do
  env "${TEST_ENV[@]+"${TEST_ENV[@]}"}" dotnet test "$target" -c Release "$@" 2>&1 | tee -a "$TEST_LOG"
  r=${PIPESTATUS[0]}
  (( r == 0 || rc != 0 )) || rc=$r
done
set -e

# The container tier: its last line is in dotnet test's summary format and is counted with the others below.
if (( ! FAST )) && [[ -z ${TEST_PROJECTS:-} && ${TEST_CONTAINERS:-1} != 0 ]]; then
  set +e
  "$ROOT/scripts/docker-test.sh" 2>&1 | tee -a "$TEST_LOG"
  r=${PIPESTATUS[0]}
  set -e
  (( r == 0 || rc != 0 )) || rc=$r
fi

# ----------------------------------------------------------------- Format
# Whitespace (the .editorconfig layout rules) always, on the files themselves: --folder loads and restores no project,
# so it takes about 3 s instead of about 15 s for the solution, and finds the same things (SDK projects compile every
# *.cs under their folder; generated code lives in obj/). Style (rules at warning severity) in the full run only, where its ~40 s
# matter less; it needs the solution, which the full run's dotnet test has just restored. The analyzers pass is left
# out: the build already fails on warnings.
format_failed=()
check_format() { # SUBCOMMAND ARGS...
  local subcommand=$1 log="$WORK/format-$1.log" r=0 t0=$SECONDS problems
  shift
  env "${FAST_RUNTIME_ENV[@]}" dotnet format "$subcommand" "$@" --verify-no-changes >"$log" 2>&1 || r=$?
  if (( r == 0 )); then
    echo "dotnet format $subcommand: no changes needed ($((SECONDS - t0)) s)"
    return 0
  fi
  format_failed+=("$subcommand")
  echo "dotnet format $subcommand: FAILED (exit code $r) - to fix: dotnet format $subcommand $SOLUTION"
  problems="$(grep -E ': (error|warning) [A-Z]' "$log" | sed -E "s/ \[[^]]*\]\$//; s|^$ROOT/||" | sort -u || true)"
  if [[ -z $problems ]]; then
    tail -n 40 "$log"
    return 0
  fi
  head -n 100 <<<"$problems"
  echo "Files to fix:"
  grep -oE '^[^(]+\.cs' <<<"$problems" | sort -u | sed 's/^/  /' || true
}
echo
check_format whitespace --folder . --exclude '**/bin/**' '**/obj/**'
(( FAST )) || check_format style "$SOLUTION" --no-restore

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
if (( ${#format_failed[@]} > 0 )); then
  echo "ERROR: code format check failed (dotnet format ${format_failed[*]}; files listed above)."
fi
if [[ $found == 0 ]]; then
  echo "ERROR: no test summary found - the build or test run failed, or no test project ran (dotnet test exit code $rc)."
  echo "Tests: 0 passed, 1 failed, 0 skipped"
  exit $(( rc != 0 ? rc : 1 ))
fi
echo "Tests: $passed passed, $failed failed, $skipped skipped"

if (( rc != 0 )); then exit "$rc"; fi
# Nothing executed (e.g. a --filter that matched nothing, or all skipped) counts as failure.
if (( failed > 0 || passed + failed == 0 )); then exit 1; fi
(( ${#format_failed[@]} == 0 )) || exit 1
exit 0
