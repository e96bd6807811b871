# shellcheck shell=bash
# Redis servers of our own: 127.0.0.1 only, no persistence (nothing we keep in it must survive a restart).
[[ -n ${_LIB_REDIS_SH:-} ]] && return 0
_LIB_REDIS_SH=1
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

# redis-server, and redis-cli (package redis-tools, a dependency) for the readiness check; exits if not installable.
redis_require() {
  need_command redis-server redis-server
  need_command redis-cli redis-tools
}

redis_ping() { [[ "$(redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null)" == PONG ]]; }

# redis_start PORT DIR LOG PIDFILE: start a daemonized server and wait (up to 10 s) until it answers PING and has
# written PIDFILE. On failure shows LOG and fails.
redis_start() {
  local port=$1 dir=$2 log=$3 pidfile=$4 _
  mkdir -p "$dir"
  rm -f "$pidfile"
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
      --pidfile "$pidfile" --dir "$dir" --logfile "$log" </dev/null >/dev/null 2>&1 9>&- \
    || { lib_tail "$log"; lib_error "redis-server failed to start"; return 1; }
  for _ in $(seq 100); do   # up to ~10 s
    [[ -s $pidfile ]] && redis_ping "$port" && return 0
    sleep 0.1
  done
  lib_tail "$log"
  lib_error "Redis did not answer PING on port $port within 10 s"
  return 1
}

# redis_stop PIDFILE: SIGTERM the pid in PIDFILE, wait up to 5 s, then SIGKILL. Quiet; never fails.
# (Only for throwaway servers: it does not check that the pid is still that server.)
redis_stop() {
  local pid _
  [[ -f $1 ]] || return 0
  pid="$(cat "$1" 2>/dev/null)"
  [[ $pid =~ ^[0-9]+$ ]] || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}
