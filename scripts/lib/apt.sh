# shellcheck shell=bash
# Installing missing tools from Debian's packages. Waits for the dpkg/apt locks (another install may be running on
# this machine) instead of failing, and a failed install is fatal, with the package named.
[[ -n ${_LIB_APT_SH:-} ]] && return 0
_LIB_APT_SH=1
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

APT_LOCK_TIMEOUT="${APT_LOCK_TIMEOUT:-300}"   # seconds to wait for another apt/dpkg to finish
APT_UPDATED=0                                 # apt-get update is slow: at most once per run, only if we install

# apt_install PKG...: install the packages or exit (status 1) with a message naming them.
apt_install() {
  local rc=0 lock=(-o "DPkg::Lock::Timeout=$APT_LOCK_TIMEOUT")
  (( EUID == 0 )) || lib_die "$* is not installed and installing needs root (run: apt-get install $*)"
  command -v apt-get >/dev/null 2>&1 || lib_die "$* is not installed and apt-get is not available to install it"
  if (( APT_UPDATED == 0 )); then
    lib_say "installing $* (apt-get update first)..."
    apt-get "${lock[@]}" update -qq </dev/null >&2 || rc=$?
    (( rc == 0 )) || lib_die "apt-get update failed (exit code $rc) while installing $*"
    APT_UPDATED=1
  else
    lib_say "installing $*..."
  fi
  DEBIAN_FRONTEND=noninteractive apt-get "${lock[@]}" install -y -qq "$@" </dev/null >&2 || rc=$?
  (( rc == 0 )) || lib_die "could not install $* (apt-get install exit code $rc; its output is above)"
}

# need_command CMD PKG: make sure CMD is on PATH, installing PKG if it is not; exits if that fails.
need_command() {
  command -v "$1" >/dev/null 2>&1 && return 0
  apt_install "$2"
  command -v "$1" >/dev/null 2>&1 || lib_die "package $2 was installed but $1 is still not on PATH"
}
