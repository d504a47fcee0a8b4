# shellcheck shell=bash
# shellcheck disable=SC2034,SC2120  # globals and optional arguments are for the scripts that source this
# Shared helpers for up.sh, down.sh, test.sh and orc. Source it; it only defines things.
# Safe under `set -euo pipefail`. Every function that can fail says why and names its log file.
#
# Functions:
#   log MSG / warn MSG / die MSG [LOGFILE]     messages on stderr; die exits 1 (with the log's tail)
#   ensure_packages                            apt-get install docker.io etcd-server etcd-client busybox-static jq, and what
#                                              the testbed uses (iproute2 iptables procps util-linux), if missing
#   ensure_chromium                            apt-get install chromium if missing (the status-page tests use it)
#   ensure_test_shells                         apt-get install zsh fish if missing (the completion tests load orc's scripts in them)
#   ensure_dotnet                              fail clearly when the .NET SDK is missing
#   ensure_dockerd [PIDFILE]                   start dockerd when `docker info` fails; sets DOCKERD_STARTED/DOCKERD_PID
#   ensure_images [--force]                    build local/busybox:1, local/web:1, :2, :3 when missing or images/ changed
#   start_etcd DATADIR CLIENTPORT PEERPORT [PIDFILE] [LOGFILE]
#   start_bg PIDFILE LOGFILE CMD...            start a detached process (setsid), write its pid
#   pid_alive PIDFILE [PATTERN]                0 when the pid in PIDFILE runs (and its command line has PATTERN)
#   stop_pid PID [TIMEOUT]                     TERM, wait up to TIMEOUT s (default 15), then KILL
#   stop_pidfile FILE [TIMEOUT]                stop_pid on the pid in FILE, then remove FILE
#   wait_http URL TIMEOUT [PID]                poll until URL answers 2xx (fails early if PID dies)
#   http_get URL                               print the body of URL (curl, else busybox wget); sends $ORC_TOKEN when set;
#                                              https trusts $ORC_CA, or anything with HTTP_AGENT_SELF_SIGNED=1 (an agent's /healthz only)
#   http_status URL                            "HTTP 404" style status of URL, or "no answer"
#   port_in_use PORT [HOST]                    0 when something accepts TCP connections on HOST:PORT
#   write_cli_config SERVER TOKEN FILE [CA]    put server, token and ca into ~/.orc/config.json, keeping its other keys
#   node_name                                  this host's name as a DNS label (or $ORC_NODE_NAME)
#   dotnet_build                               quiet Release build of Orchestrator.sln, errors shown on failure

ORC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUN_DIR="${ORC_RUN_DIR:-$ORC_ROOT/.run}"
LOG_DIR="$RUN_DIR/logs"
PID_DIR="$RUN_DIR/pids"
IMAGES_DIR="$ORC_ROOT/images"
IMAGE_HASH_LABEL="orchestrator.images-hash"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export ETCDCTL_API=3

DOCKERD_STARTED=0
DOCKERD_PID=""

log()  { printf '==> %s\n' "$*" >&2; }
warn() { printf 'warning: %s\n' "$*" >&2; }

# die MSG [LOGFILE]: print the message, the last lines of LOGFILE if given, and exit 1.
die() {
  printf 'error: %s\n' "$1" >&2
  if [ -n "${2:-}" ] && [ -f "$2" ]; then
    printf -- '--- last lines of %s ---\n' "$2" >&2
    tail -n 25 "$2" >&2 || true
    printf -- '--- end of %s ---\n' "$2" >&2
  fi
  exit 1
}

_run_dirs() { mkdir -p "$LOG_DIR" "$PID_DIR"; }

# ---------------------------------------------------------------- packages and tools

ensure_packages() {
  local need=()
  command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
  command -v docker  >/dev/null 2>&1 || need+=(docker.io)
  command -v etcd    >/dev/null 2>&1 || need+=(etcd-server)
  command -v etcdctl >/dev/null 2>&1 || need+=(etcd-client)
  [ -x /bin/busybox ] || need+=(busybox-static)
  # scripts/testbed.sh: namespaces and links (ip), its firewall chain (iptables), pgrep, nsenter and setsid
  command -v ip       >/dev/null 2>&1 || need+=(iproute2)
  command -v iptables >/dev/null 2>&1 || need+=(iptables)
  command -v pgrep    >/dev/null 2>&1 || need+=(procps)
  command -v nsenter  >/dev/null 2>&1 || need+=(util-linux)
  command -v jq       >/dev/null 2>&1 || need+=(jq)   # up.sh merges ~/.orc/config.json
  # https with a cluster CA (http_get): curl, as busybox wget cannot be given a CA
  command -v curl     >/dev/null 2>&1 || need+=(curl)
  if [ "${#need[@]}" -eq 0 ]; then
    log "packages: docker.io, etcd-server, etcd-client, busybox-static, iproute2, iptables, procps present"
    return 0
  fi
  # de-duplicate (docker.io can be listed twice)
  mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
  _apt_install "${need[@]}"
  if ! { command -v dockerd && command -v docker && command -v etcd && command -v etcdctl &&
         command -v ip && command -v iptables && command -v pgrep && command -v nsenter && command -v curl && command -v jq; } >/dev/null 2>&1 ||
     [ ! -x /bin/busybox ]; then
    die "packages installed but docker/dockerd/etcd/etcdctl/ip/iptables/pgrep/nsenter/curl/jq or /bin/busybox still missing" "$LOG_DIR/packages.log"
  fi
  log "packages: installed ${need[*]}"
}

# ensure_chromium: the headless browser the status-page tests drive (tests/EndToEnd/UiTests.cs).
ensure_chromium() {
  if command -v chromium >/dev/null 2>&1; then
    log "packages: chromium present"
    return 0
  fi
  _apt_install chromium
  command -v chromium >/dev/null 2>&1 || die "chromium installed but not on PATH" "$LOG_DIR/packages.log"
  log "packages: installed chromium"
}

# ensure_test_shells: the shells whose completion scripts `orc completion zsh|fish` prints, so a test can load them.
ensure_test_shells() {
  local need=()
  command -v zsh  >/dev/null 2>&1 || need+=(zsh)
  command -v fish >/dev/null 2>&1 || need+=(fish)
  if [ "${#need[@]}" -eq 0 ]; then
    log "packages: zsh and fish present"
    return 0
  fi
  _apt_install "${need[@]}"
  log "packages: installed ${need[*]}"
}

# _apt_install PKG...: apt-get install as root, logged to packages.log; dies saying what to run when not root.
_apt_install() {
  local logf
  [ "$(id -u)" -eq 0 ] || die "missing packages ($*) and not root: run as root or install them: apt-get install $*"
  _run_dirs
  logf="$LOG_DIR/packages.log"
  log "packages: installing $* (log: $logf)"
  {
    apt-get -o DPkg::Lock::Timeout=300 update -q &&
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -q "$@"
  } >>"$logf" 2>&1 || die "apt-get failed installing $*" "$logf"
}

ensure_dotnet() {
  command -v dotnet >/dev/null 2>&1 ||
    die "dotnet not found: install the .NET 10 SDK (https://dot.net) and put 'dotnet' on PATH"
  local v
  v="$(dotnet --version 2>/dev/null || true)"
  case "$v" in
    1[0-9].*|[2-9][0-9].*) ;;
    *) die "the .NET 10 SDK is needed; 'dotnet --version' says '${v:-nothing}'" ;;
  esac
}

# ---------------------------------------------------------------- processes

# pid_alive PIDFILE [PATTERN]
pid_alive() {
  local f="$1" pat="${2:-}" pid
  [ -f "$f" ] || return 1
  pid="$(head -n1 "$f" 2>/dev/null || true)"
  case "$pid" in ''|*[!0-9]*) return 1 ;; esac
  kill -0 "$pid" 2>/dev/null || return 1
  # a zombie is not alive
  [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo Z)" != "Z" ] || return 1
  if [ -n "$pat" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$pat" || return 1
  fi
  return 0
}

# start_bg PIDFILE LOGFILE CMD... : detached from this terminal and session; pid written to PIDFILE.
start_bg() {
  local pidf="$1" logf="$2"
  shift 2
  mkdir -p "$(dirname "$pidf")" "$(dirname "$logf")"
  # In a non-interactive shell a background job is not a process-group leader, so setsid
  # does not fork and $! is the pid of CMD itself.
  setsid "$@" >>"$logf" 2>&1 </dev/null &
  echo "$!" >"$pidf"
}

# stop_pid PID [TIMEOUT]
stop_pid() {
  local pid="$1" t="${2:-15}" i
  kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < t * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    # reap it if it is our child (test.sh's dockerd); ignore otherwise
    [ "$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo Z)" = "Z" ] && { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  warn "pid $pid did not stop within ${t}s after TERM: sending KILL"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return 0
}

# stop_pidfile FILE [TIMEOUT]
stop_pidfile() {
  local f="$1" t="${2:-15}" pid
  [ -f "$f" ] || return 0
  pid="$(head -n1 "$f" 2>/dev/null || true)"
  case "$pid" in
    ''|*[!0-9]*) ;;
    *) stop_pid "$pid" "$t" ;;
  esac
  rm -f "$f"
}

# port_in_use PORT [HOST]
port_in_use() {
  local port="$1" host="${2:-127.0.0.1}"
  (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null
}

# How curl checks an https server: ORC_CA (a cluster CA file: the control plane's certificate must chain to it), or
# HTTP_AGENT_SELF_SIGNED=1 for an agent's /healthz (its certificate is self-signed and only the control plane pins it;
# a liveness check of a process we just started learns nothing secret).
_curl_tls() {
  if [ "${HTTP_AGENT_SELF_SIGNED:-0}" = 1 ]; then printf '%s\n' --insecure
  elif [ -n "${ORC_CA:-}" ]; then printf '%s\n' --cacert "$ORC_CA"
  fi
}

# http_get URL: body on stdout; non-zero unless the answer is 2xx.
http_get() {
  local auth=() tls=()
  [ -n "${ORC_TOKEN:-}" ] && auth=(--header "Authorization: Bearer $ORC_TOKEN")
  if command -v curl >/dev/null 2>&1; then
    mapfile -t tls < <(_curl_tls)
    curl -fsS --max-time 5 "${auth[@]}" "${tls[@]}" "$1"
  elif [ -x /bin/busybox ]; then
    /bin/busybox wget -q -T 5 "${auth[@]}" -O - "$1"
  else
    wget -q -T 5 "${auth[@]}" -O - "$1"
  fi
}

# write_cli_config SERVER TOKEN FILE [CA]: puts "server", "token" (FILE: where TOKEN came from, for the warning) and, when given,
# "ca" (the cluster CA file) into ~/.orc/config.json (or $ORC_CONFIG, as orc reads it; mode 0600), keeping every other key of the file; a file that is not
# JSON is left alone with a warning rather than overwritten.
write_cli_config() {
  local file="${ORC_CONFIG:-$HOME/.orc/config.json}" tmp
  mkdir -p "$(dirname "$file")"
  tmp="$(mktemp "$file.XXXXXX")"
  if [ -s "$file" ]; then
    if ! jq --arg s "$1" --arg t "$2" --arg c "${4:-}" '. + {server: $s, token: $t} + (if $c == "" then {} else {ca: $c} end)' \
        "$file" >"$tmp" 2>/dev/null; then
      rm -f "$tmp"
      warn "$file is not a JSON object; not changed (add \"server\": \"$1\", \"token\" from $3${4:+ and \"ca\": \"$4\"} yourself)"
      return 0
    fi
  else
    jq -n --arg s "$1" --arg t "$2" --arg c "${4:-}" '{server: $s, token: $t} + (if $c == "" then {} else {ca: $c} end)' >"$tmp"
  fi
  chmod 600 "$tmp"
  mv "$tmp" "$file"
}

# http_status URL: the HTTP status code of URL, or "no answer".
http_status() {
  local code="" tls=()
  if command -v curl >/dev/null 2>&1; then
    mapfile -t tls < <(_curl_tls)
    code="$(curl -s -o /dev/null --max-time 5 "${tls[@]}" -w '%{http_code}' "$1" 2>/dev/null || true)"
  fi
  case "$code" in ''|000) echo "no answer" ;; *) echo "HTTP $code" ;; esac
}

# wait_http URL TIMEOUT [PID]: 0 once URL answers 2xx; 1 after TIMEOUT seconds or when PID has exited.
wait_http() {
  local url="$1" t="$2" pid="${3:-}" end
  end=$((SECONDS + t))
  while ((SECONDS < end)); do
    http_get "$url" >/dev/null 2>&1 && return 0
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then return 1; fi
    sleep 0.5
  done
  http_get "$url" >/dev/null 2>&1
}

# ---------------------------------------------------------------- docker

# ensure_dockerd [PIDFILE]: when no engine answers, start dockerd and record that we did
# (DOCKERD_STARTED=1, DOCKERD_PID, and PIDFILE when given).
ensure_dockerd() {
  local pidf="${1:-}" logf i
  if docker info >/dev/null 2>&1; then
    log "dockerd: already running"
    return 0
  fi
  command -v dockerd >/dev/null 2>&1 || die "dockerd not installed (apt-get install docker.io)"
  _run_dirs
  logf="$LOG_DIR/dockerd.log"
  log "dockerd: starting (log: $logf)"
  setsid dockerd >>"$logf" 2>&1 </dev/null &
  DOCKERD_PID=$!
  DOCKERD_STARTED=1
  [ -z "$pidf" ] || { mkdir -p "$(dirname "$pidf")"; echo "$DOCKERD_PID" >"$pidf"; }
  for ((i = 0; i < 60; i++)); do
    if docker info >/dev/null 2>&1; then
      log "dockerd: ready (pid $DOCKERD_PID)"
      return 0
    fi
    kill -0 "$DOCKERD_PID" 2>/dev/null || die "dockerd exited while starting" "$logf"
    sleep 0.5
  done
  die "dockerd did not answer 'docker info' within 30 s" "$logf"
}

# The content hash of everything that goes into the images: the files under images/, the host's
# busybox binary and the code below that assembles them.
_images_hash() {
  {
    (cd "$IMAGES_DIR" && find . -type f ! -name README.md -print0 | LC_ALL=C sort -z | xargs -0 sha256sum)
    sha256sum /bin/busybox | cut -d' ' -f1
    declare -f _build_images
  } | sha256sum | cut -c1-16
}

# directory under images/ -> tag
_IMAGES=("busybox:local/busybox:1" "web-v1:local/web:1" "web-v2:local/web:2" "web-v3:local/web:3")

_build_images() {
  local hash="$1" logf="$2" tmp dir tag a ctx applets
  tmp="$(mktemp -d)"
  mkdir -p "$tmp/rootfs/bin" "$tmp/rootfs/usr/bin" "$tmp/rootfs/tmp" "$tmp/rootfs/etc" "$tmp/rootfs/root"
  chmod 1777 "$tmp/rootfs/tmp"
  cp /bin/busybox "$tmp/rootfs/bin/busybox"
  applets=" $(/bin/busybox --list | tr '\n' ' ') "
  while read -r a; do
    a="${a%%#*}"; a="${a//[[:space:]]/}"
    [ -n "$a" ] || continue
    [[ "$applets" == *" $a "* ]] || { warn "images: busybox has no applet '$a', skipped"; continue; }
    ln -sf busybox "$tmp/rootfs/bin/$a"
  done <"$IMAGES_DIR/busybox/applets"
  ln -sf ../../bin/busybox "$tmp/rootfs/usr/bin/env"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$tmp/rootfs/etc/passwd"
  printf 'root:x:0:\nnobody:x:65534:\n' >"$tmp/rootfs/etc/group"
  for a in "${_IMAGES[@]}"; do
    dir="${a%%:*}"; tag="${a#*:}"
    ctx="$tmp/ctx-$dir"
    mkdir -p "$ctx"
    cp -a "$tmp/rootfs" "$ctx/rootfs"
    cp -a "$IMAGES_DIR/$dir/." "$ctx/"
    echo "docker build $tag from images/$dir" >>"$logf"
    if ! DOCKER_BUILDKIT=0 docker build --label "$IMAGE_HASH_LABEL=$hash" -t "$tag" "$ctx" >>"$logf" 2>&1; then
      rm -rf "$tmp"
      die "building $tag from images/$dir failed" "$logf"
    fi
  done
  rm -rf "$tmp"
}

# ensure_images [--force]
ensure_images() {
  local hash logf a tag have stale=()
  [ -x /bin/busybox ] || die "/bin/busybox missing (apt-get install busybox-static)"
  hash="$(_images_hash)"
  for a in "${_IMAGES[@]}"; do
    tag="${a#*:}"
    have="$(docker image inspect -f "{{ index .Config.Labels \"$IMAGE_HASH_LABEL\" }}" "$tag" 2>/dev/null || true)"
    [ "$have" = "$hash" ] || stale+=("$tag")
  done
  if [ "${1:-}" != "--force" ] && [ "${#stale[@]}" -eq 0 ]; then
    log "images: local/busybox:1 local/web:1 local/web:2 local/web:3 up to date ($hash)"
    return 0
  fi
  _run_dirs
  logf="$LOG_DIR/images.log"
  log "images: building local/busybox:1 local/web:1 local/web:2 local/web:3 (log: $logf)"
  _build_images "$hash" "$logf"
  # drop earlier builds of ours that no tag and no container uses any more
  docker image prune -f --filter "label=$IMAGE_HASH_LABEL" >>"$logf" 2>&1 || true
  log "images: built ($hash)"
}

# ---------------------------------------------------------------- etcd

# start_etcd DATADIR CLIENTPORT PEERPORT [PIDFILE] [LOGFILE]
start_etcd() {
  local data="$1" cport="$2" pport="$3"
  local pidf="${4:-$PID_DIR/etcd.pid}" logf="${5:-$LOG_DIR/etcd.log}" pid i
  local curl_="http://127.0.0.1:$cport" purl="http://127.0.0.1:$pport"
  mkdir -p "$data"
  chmod 700 "$data"
  start_bg "$pidf" "$logf" etcd --name default --data-dir "$data" \
    --listen-client-urls "$curl_" --advertise-client-urls "$curl_" \
    --listen-peer-urls "$purl" --initial-advertise-peer-urls "$purl" \
    --initial-cluster "default=$purl" \
    --quota-backend-bytes 8589934592 --max-request-bytes 1572864 --max-txn-ops 128
  pid="$(cat "$pidf")"
  for ((i = 0; i < 60; i++)); do
    if etcdctl --endpoints "$curl_" --dial-timeout 1s --command-timeout 2s endpoint health >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { rm -f "$pidf"; die "etcd exited while starting" "$logf"; }
    sleep 0.5
  done
  die "etcd did not become healthy on $curl_ within 30 s" "$logf"
}

# ---------------------------------------------------------------- build, names

# dotnet_build [LOGFILE]: Release build of the solution; quiet, errors shown on failure.
dotnet_build() {
  local logf="${1:-$LOG_DIR/build.log}" start=$SECONDS
  _run_dirs
  log "build: dotnet build -c Release Orchestrator.sln (log: $logf)"
  if ! dotnet build -c Release "$ORC_ROOT/Orchestrator.sln" -nologo -v:minimal >"$logf" 2>&1; then
    printf 'error: the build failed; errors:\n' >&2
    grep -E ': error |error MSB|error NU' "$logf" | sed 's/^ *//' | LC_ALL=C sort -u | head -n 50 >&2 || tail -n 30 "$logf" >&2
    printf 'full log: %s\n' "$logf" >&2
    return 1
  fi
  log "build: ok ($((SECONDS - start)) s)"
}

# node_name: this host's name as a DNS label (lower case, a-z 0-9 and '-', at most 63 characters).
node_name() {
  local n="${ORC_NODE_NAME:-$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)}"
  n="$(printf '%s' "$n" | tr '[:upper:]' '[:lower:]' | sed -e 's/[^a-z0-9-]/-/g' -e 's/--*/-/g' -e 's/^-*//' | cut -c1-63 | sed -e 's/-*$//')"
  printf '%s\n' "${n:-node1}"
}
