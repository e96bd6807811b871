# shellcheck shell=bash
# Shared by scripts/test.sh and scripts/cluster.sh (sourced, never run). Messages go to stderr, prefixed with
# $LIB_PREFIX (e.g. "cluster: "), so a caller's stdout stays its own (cluster.sh prints the API URL last).
[[ -n ${_LIB_COMMON_SH:-} ]] && return 0
_LIB_COMMON_SH=1

LIB_PREFIX="${LIB_PREFIX:-}"
lib_say() { printf '%s%s\n' "$LIB_PREFIX" "$*" >&2; }
lib_error() { printf '%sERROR: %s\n' "$LIB_PREFIX" "$*" >&2; }
lib_die() { lib_error "$@"; exit 1; }

# Last lines of a log, indented, on stderr (for failure reports).
lib_tail() { # FILE [LINES]
  local f=$1 n=${2:-40}
  if [[ -s $f ]]; then
    printf -- '----- last %s lines of %s -----\n' "$n" "$f" >&2
    tail -n "$n" "$f" | sed 's/^/  | /' >&2
  else
    printf -- '----- %s: nothing written -----\n' "$f" >&2
  fi
}
