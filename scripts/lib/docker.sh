# shellcheck shell=bash
# The Docker engine and the local stand-ins for official base images, for scripts/docker-test.sh (sourced).
# No image registry is reachable from these machines: postgres:15, redis:7, nginx:1.22 and the two .NET images are
# built here from a debootstrapped Debian bookworm and Debian packages, tagged with the official names, so
# docker/Dockerfile and docker/docker-compose.yml run unchanged (docker/standins/, ../shared/platform-notes.md).
[[ -n ${_LIB_DOCKER_SH:-} ]] && return 0
_LIB_DOCKER_SH=1
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
source "$(dirname "${BASH_SOURCE[0]}")/apt.sh"

# Debian's client (engine 20.10) speaks BuildKit without the buildx plugin; a newer client on PATH may not.
DOCKER_BIN="${DOCKER_BIN:-$(command -v /usr/bin/docker || command -v docker || true)}"
STANDIN_CACHE="${STANDIN_CACHE:-/var/cache/learning-standins}"   # debootstrap tree and build contexts, kept
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/learning-dockerd.log}"

dk() { "$DOCKER_BIN" "$@"; }

# docker_require: the client, compose v1, debootstrap and openssl installed; the engine answering (started here when
# it does not, without systemd). Exits with the reason when the engine cannot start: never a silent skip.
docker_require() {
  need_command dockerd docker.io
  [[ -x $DOCKER_BIN ]] || DOCKER_BIN=$(command -v docker)
  need_command docker-compose docker-compose
  need_command debootstrap debootstrap
  need_command openssl openssl
  dk info >/dev/null 2>&1 && return 0
  (( EUID == 0 )) || lib_die "the Docker engine does not answer and starting dockerd needs root"
  lib_say "starting dockerd (log: $DOCKERD_LOG)..."
  nohup dockerd >"$DOCKERD_LOG" 2>&1 </dev/null &
  local pid=$! i
  for (( i = 0; i < 60; i++ )); do
    dk info >/dev/null 2>&1 && { lib_say "dockerd is up (pid $pid)"; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  lib_tail "$DOCKERD_LOG" 30
  lib_die "dockerd could not start (log above, $DOCKERD_LOG): the container tier cannot run on this machine"
}

# docker_check_disk MIN_GB: fail before building when the engine's disk has less free space.
docker_check_disk() {
  local root avail
  root=$(dk info --format '{{.DockerRootDir}}' 2>/dev/null || echo /var/lib/docker)
  avail=$(df -Pk "$(dirname "$root")" | awk 'NR == 2 { print int($4 / 1048576) }')
  lib_say "free disk for $root: ${avail} GB (need $1 GB)"
  (( avail >= $1 )) || lib_die "only ${avail} GB free under $root; the images need about $1 GB (docker image prune, or free space)"
}

# The Debian base every stand-in starts from: debootstrap once, imported as local/debian:bookworm.
docker_debian_base() {
  dk image inspect local/debian:bookworm >/dev/null 2>&1 && return 0
  local mirror
  # The archive apt itself uses (deb822 "URIs:" or one-line "deb URL"), not a commented-out one; a missing
  # sources.list is normal on bookworm, hence no pipefail here.
  mirror=$(set +o pipefail
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null |
      sed -nE 's/^[[:space:]]*(URIs:|deb([[:space:]]+\[[^]]*\])?)[[:space:]]+//p' | tr ' ' '\n' |
      grep -E '^https?://[^[:space:]]+/debian/?$' | head -n 1)
  [[ -n $mirror ]] || lib_die "no Debian mirror found in /etc/apt/sources.list(.d) for debootstrap"
  mkdir -p "$STANDIN_CACHE"
  rm -rf "$STANDIN_CACHE/rootfs"
  lib_say "debootstrap bookworm from $mirror (several minutes)..."
  debootstrap --variant=minbase bookworm "$STANDIN_CACHE/rootfs" "$mirror" >"$STANDIN_CACHE/debootstrap.log" 2>&1 ||
    { lib_tail "$STANDIN_CACHE/debootstrap.log"; lib_die "debootstrap failed"; }
  tar -C "$STANDIN_CACHE/rootfs" -c . | dk import - local/debian:bookworm >/dev/null || lib_die "docker import failed"
}

# docker_standin TAG DOCKERFILE CONTEXT EXTRA_HASH_INPUT [BUILD ARGS...]: build TAG unless an image with that tag already carries
# the hash of its inputs (the Dockerfile, the files of its standins folder, EXTRA) in a label: a second run is fast.
docker_standin() {
  local tag=$1 file=$2 context=$3 extra=$4 hash have
  shift 4
  hash=$( { cat "$file"; cat "$(dirname "$file")"/*.sh; printf '%s' "$extra" "$*"; dk image inspect --format '{{.Id}}' local/debian:bookworm; } | sha256sum | cut -c1-16)
  have=$(dk image inspect --format '{{index .Config.Labels "learning.standin.hash"}}' "$tag" 2>/dev/null || true)
  if [[ $have == "$hash" ]]; then
    lib_say "stand-in $tag: cached ($hash)"
    return 0
  fi
  lib_say "stand-in $tag: building ($hash)..."
  local log="$STANDIN_CACHE/build-${tag//[\/:]/_}.log"
  DOCKER_BUILDKIT=1 dk build --network host "$@" --label "learning.standin.hash=$hash" -t "$tag" -f "$file" "$context" >"$log" 2>&1 ||
    { lib_tail "$log"; lib_die "building stand-in $tag failed"; }
}

# docker_standins: every base image docker/Dockerfile and docker/docker-compose.yml name.
docker_standins() {
  local dir=$1 dotnet=/usr/share/dotnet sdkver rtver
  [[ -x $dotnet/dotnet ]] || lib_die "no .NET SDK in $dotnet to copy into the sdk stand-in"
  docker_debian_base
  sdkver=$(ls "$dotnet/sdk" | tr '\n' ' ')
  rtver=$(ls "$dotnet/shared/Microsoft.AspNetCore.App" "$dotnet/shared/Microsoft.NETCore.App" | tr '\n' ' ')
  # The SDK (hard links when the cache is on the same file system) and the host's extra CA roots.
  local sdk="$STANDIN_CACHE/sdk-context" cas
  cas=$(cat /usr/local/share/ca-certificates/*.crt 2>/dev/null | sha256sum | cut -c1-16)
  if [[ ! -f $sdk/.versions || $(cat "$sdk/.versions") != "$sdkver $rtver $cas" ]]; then
    rm -rf "$sdk" && mkdir -p "$sdk/ca"
    cp -al "$dotnet" "$sdk/dotnet" 2>/dev/null || { rm -rf "$sdk/dotnet"; cp -a "$dotnet" "$sdk/dotnet"; }
    cp /usr/local/share/ca-certificates/*.crt "$sdk/ca/" 2>/dev/null || true
    printf '%s' "$sdkver $rtver $cas" >"$sdk/.versions"
  fi
  printf '.versions\n' >"$sdk/.dockerignore"
  docker_standin mcr.microsoft.com/dotnet/sdk:10.0 "$dir/sdk.Dockerfile" "$sdk" "sdk $sdkver $rtver $cas" \
    --build-arg "NUGET_CERT_REVOCATION_MODE=${NUGET_CERT_REVOCATION_MODE:-online}"
  # Runtime only: the host, the two shared frameworks and the muxer, in a context of their own.
  local rt="$STANDIN_CACHE/aspnet-context"
  if [[ ! -f $rt/.versions || $(cat "$rt/.versions") != "$rtver" ]]; then
    rm -rf "$rt" && mkdir -p "$rt/shared"
    cp -a "$dotnet/dotnet" "$dotnet/LICENSE.txt" "$dotnet/host" "$rt/"
    cp -a "$dotnet/shared/Microsoft.NETCore.App" "$dotnet/shared/Microsoft.AspNetCore.App" "$rt/shared/"
    printf '%s' "$rtver" >"$rt/.versions"
  fi
  printf '.versions\n' >"$rt/.dockerignore"
  docker_standin mcr.microsoft.com/dotnet/aspnet:10.0 "$dir/aspnet.Dockerfile" "$rt" "aspnet $rtver"
  docker_standin postgres:15 "$dir/postgres.Dockerfile" "$dir" postgres
  docker_standin redis:7 "$dir/redis.Dockerfile" "$dir" redis
  docker_standin nginx:1.22 "$dir/nginx.Dockerfile" "$dir" nginx
}
