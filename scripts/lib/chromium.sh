# shellcheck shell=bash
# Debian's Chromium for the browser tests (tests/BrowserTests drive it with Playwright; Playwright's own browser
# download cannot work on this network and is never attempted).
[[ -n ${_LIB_CHROMIUM_SH:-} ]] && return 0
_LIB_CHROMIUM_SH=1
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

# chromium_require: make sure the browser the tests launch exists (CHROMIUM_PATH, default /usr/bin/chromium),
# installing Debian's chromium package when that default is missing; exits if that fails.
chromium_require() {
  local path="${CHROMIUM_PATH:-/usr/bin/chromium}"
  [[ -x $path ]] && return 0
  [[ -z ${CHROMIUM_PATH:-} ]] || lib_die "CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file"
  apt_install chromium
  [[ -x $path ]] || lib_die "package chromium was installed but $path is still missing"
}
