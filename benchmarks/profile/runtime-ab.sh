#!/usr/bin/env bash
# A/B of runtime settings on the heartbeat path, API + one silo (scripts/cluster.sh), in one sitting on one machine.
# Each round starts a fresh cluster per variant (the variant's environment reaches the silo and the API), runs the
# viewers load with a warmed /health/live baseline and both processes' CPU measured, and takes the cluster down.
# Variants alternate within a round, so a drift in the machine's load hits each of them alike.
#
# Usage: benchmarks/profile/runtime-ab.sh ROUNDS 'NAME=[VAR=VALUE ...]' ...
#   benchmarks/profile/runtime-ab.sh 3 'default=' 'no-spin=DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0'
# Needs Release builds (dotnet build Orleans.Learning.sln -c Release) and a quiet machine. Prints one line per run,
# then each variant's median CPU per heartbeat (API, silo, both) and heartbeat rate / /health/live rate.
# AB_DIR (default /tmp/runtime-ab) keeps the load tester's JSON and log of every run.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
cd "$ROOT"
(( $# >= 2 )) || { sed -n 2,11p "$0"; exit 2; }
ROUNDS=$1
shift
OUT="${AB_DIR:-/tmp/runtime-ab}"
mkdir -p "$OUT"
export CLUSTER_DIR="$OUT/cluster" API_PORT="${AB_API_PORT:-5490}" SILO_PORT_BASE=21490 GATEWAY_PORT_BASE=31490 \
  CLUSTER_ID=runtime-ab NO_BUILD=1 MAIL_DISCARD=1
LOADTEST="$ROOT/LoadTest/bin/Release/net10.0/Learning.LoadTest.dll"
[[ -f $LOADTEST ]] || { echo "build first: dotnet build Orleans.Learning.sln -c Release" >&2; exit 1; }
trap 'scripts/cluster.sh down --purge >/dev/null 2>&1 || true' EXIT

# One run: NAME ROUND VARS... -> "name round api_us silo_us total_us ratio"
run_one() {
  local name=$1 round=$2 json log api silo
  shift 2
  json="$OUT/$name-$round.json" log="$OUT/$name-$round.log"
  env "$@" scripts/cluster.sh up 1 >"$OUT/$name-$round.cluster.log" 2>&1
  api=$(head -n 1 "$CLUSTER_DIR/pids/api.pid" | cut -d " " -f 1) silo=$(head -n 1 "$CLUSTER_DIR/pids/silo-1.pid" | cut -d " " -f 1)
  dotnet "$LOADTEST" --url "http://127.0.0.1:$API_PORT" --scenario viewers --users 64 --connections 64 --beat-interval 0 \
    --watch-seconds 60 --warmup 5 --duration 20 --baseline --baseline-seconds 10 \
    --server-pid "$api" --server-pid "$silo" --json "$json" >"$log" 2>&1 || true
  scripts/cluster.sh down --purge >/dev/null 2>&1
  jq -r --arg name "$name" --arg round "$round" --argjson api "$api" --argjson silo "$silo" '
    def us(pid): (.measured.cpu.processes[] | select(.pid == pid) | .micros_per_request) // null;
    [$name, $round, us($api), us($silo), .measured.cpu.micros_per_request,
     (.measured.routes[] | select(.route == "POST /api/video/heartbeat") | .ratio_to_baseline)]
    | map(if type == "number" then (. * 100 | round / 100) else . end) | @tsv' "$json"
}

results="$OUT/results.tsv"
: >"$results"
for (( round = 1; round <= ROUNDS; round++ )); do
  for variant in "$@"; do
    name=${variant%%=*} vars=${variant#*=}
    read -r -a env_vars <<<"$vars"
    line=$(run_one "$name" "$round" "${env_vars[@]+"${env_vars[@]}"}")
    echo "$line" | tee -a "$results"
  done
done

echo
printf 'variant\truns\tAPI us/hb\tsilo us/hb\ttotal us/hb\thb/live\n'
for variant in "$@"; do
  name=${variant%%=*}
  awk -F '\t' -v n="$name" '
    function median(a, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                       return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
    $1 == n { k++; api[k] = $3; silo[k] = $4; total[k] = $5; ratio[k] = $6 }
    END { printf "%s\t%d\t%.1f\t%.1f\t%.1f\t%.2f\n", n, k, median(api, k), median(silo, k), median(total, k), median(ratio, k) }' "$results"
done
