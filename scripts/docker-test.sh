#!/usr/bin/env bash
# The container tier: builds the images with docker/Dockerfile and runs docker/docker-compose.yml for real (three
# silos, two public API replicas behind the nginx TLS edge, the internal API), then checks it from outside, the way
# an operator and a client see it, and injects faults under load.
#
# Usage: scripts/docker-test.sh            (as root; scripts/test.sh calls it in the full run)
#
# Needs: Debian's docker.io, docker-compose v1 and debootstrap (installed when absent), a Docker engine (started
# when `docker info` fails; a machine where it cannot start fails this tier with the reason). No image registry is
# needed: the base images are local stand-ins (docker/standins/, cached between runs by a hash of their inputs).
# Traffic goes only to 127.0.0.1 and to this run's compose networks. Containers, networks and volumes it creates are
# removed at the end; images are kept as the cache.
#
# Output: one line per check, the figures it measured (also in $TEST_REPORT_DIR/containers.txt when set), then a
# summary line in dotnet test's format, which scripts/test.sh adds to its own count:
#   Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: 900 s - docker-test.sh (containers)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
LIB_PREFIX="docker-test: "
source "$ROOT/scripts/lib/docker.sh"
source "$ROOT/scripts/lib/ports.sh"
source "$ROOT/scripts/lib/docker-checks.sh"

BUDGET_MIN="${DOCKER_TEST_BUDGET_MIN:-25}"     # the tier's time budget inside CI's 90 minutes
MIN_FREE_GB="${DOCKER_TEST_MIN_FREE_GB:-8}"    # stand-ins, images and build cache, measured at about 4 GB
T0=$SECONDS
WORK="$(mktemp -d /tmp/docker-test.XXXXXX)"
PROJECT="learningct"
PASSED=0 FAILED=0
FIGURES="$WORK/figures.txt"
: >"$FIGURES"

summary() {
  local verdict=Passed
  (( FAILED == 0 )) || verdict=Failed
  printf '%s!  - Failed: %5d, Passed: %5d, Skipped: %5d, Total: %5d, Duration: %d s - docker-test.sh (containers)\n' \
    "$verdict" "$FAILED" "$PASSED" 0 $((FAILED + PASSED)) $((SECONDS - T0))
}
# A failure of the set-up (engine, stand-ins, build, start) is one failed test with its reason, never a skip.
lib_die() {
  lib_error "$@"
  FAILED=$((FAILED + 1))
  finish
  exit 1
}
finish() {
  trap - EXIT
  if [[ -f $WORK/env ]]; then
    compose logs --no-color --timestamps >"$WORK/compose.log" 2>&1 || true
    compose down -v --remove-orphans --timeout 60 >>"$WORK/down.log" 2>&1 || lib_error "compose down failed (see $WORK/down.log)"
  fi
  # Every run builds new project images and the rolling upgrade a second pair: the ones their tags moved off would
  # otherwise pile up run after run (about 1 GB each time). The stand-ins stay: they are the cache.
  dk image ls -q --filter dangling=true --filter label=learning.image=project | xargs -r "$DOCKER_BIN" rmi >/dev/null 2>&1 || true
  local elapsed=$((SECONDS - T0))
  figure "container tier: $((elapsed / 60)) min $((elapsed % 60)) s of a ${BUDGET_MIN} min budget"
  if [[ -n ${TEST_REPORT_DIR:-} ]]; then
    mkdir -p "$TEST_REPORT_DIR"
    { echo "Container tier (scripts/docker-test.sh; logs in $WORK):"; sed 's/^/  /' "$FIGURES"; } >"$TEST_REPORT_DIR/containers.txt"
  fi
  echo
  echo "Figures:"
  sed 's/^/  /' "$FIGURES"
  (( elapsed <= BUDGET_MIN * 60 )) || echo "WARNING: the container tier took longer than its ${BUDGET_MIN} min budget"
  summary
}
# Name the command that stopped the run (set -E: also inside functions), not just the line of the exit trap.
set -E
trap 'lib_error "failed: $BASH_COMMAND (exit $?, ${BASH_SOURCE[0]##*/} line $LINENO)"' ERR
trap 'lib_error "failed unexpectedly"; FAILED=$((FAILED + 1)); finish' EXIT
trap 'lib_error "interrupted"; exit 1' INT TERM

# ------------------------------------------------------------------------------------------------- engine, images
docker_require
docker_check_disk "$MIN_FREE_GB"
t=$SECONDS
docker_standins "$ROOT/docker/standins"
figure "stand-in base images ready in $((SECONDS - t)) s"
t=$SECONDS
build_project_images latest
figure "project images (silo + api) built in $((SECONDS - t)) s ($(image_size learning/silo:latest) silo, $(image_size learning/api:latest) api)"

# --------------------------------------------------------------------------------------------------------- start
write_env
t=$SECONDS
compose_up
figure "compose up (--scale silo=3 --scale api=2) to every service healthy: $((SECONDS - t)) s"

# ------------------------------------------------------------------------------------------------------- checks
run_checks

trap - EXIT
finish
exit $(( FAILED == 0 ? 0 : 1 ))
