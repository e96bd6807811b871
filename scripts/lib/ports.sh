# shellcheck shell=bash
# Free TCP ports on 127.0.0.1.
[[ -n ${_LIB_PORTS_SH:-} ]] && return 0
_LIB_PORTS_SH=1
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# A refused connection means nobody listens there.
port_in_use() { timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# Random ports come from FREE_PORT_MIN .. FREE_PORT_MIN+FREE_PORT_SPAN-1: below the kernel's ephemeral range
# (32768+), so outgoing connections are unlikely to take the port before the server binds it.
FREE_PORT_MIN="${FREE_PORT_MIN:-20000}"
FREE_PORT_SPAN="${FREE_PORT_SPAN:-12000}"
USED_PORTS=" "   # handed out by pick_free_port in this shell

# pick_free_port VAR: set VAR to a port nobody listens on and this shell has not handed out yet.
# A caller may define free_port_excluded PORT (true = skip that port), e.g. for ranges it assigns itself.
pick_free_port() {
  local p _
  for _ in $(seq 200); do
    p=$((FREE_PORT_MIN + RANDOM % FREE_PORT_SPAN))
    [[ "$USED_PORTS" == *" $p "* ]] && continue
    if declare -F free_port_excluded >/dev/null && free_port_excluded "$p"; then continue; fi
    if ! port_in_use "$p"; then
      USED_PORTS+="$p "
      printf -v "$1" '%s' "$p"
      return 0
    fi
  done
  lib_error "could not find a free TCP port"
  return 1
}
