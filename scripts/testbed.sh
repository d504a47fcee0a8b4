#!/usr/bin/env bash
# Several test hosts on one machine: each host hI is a network namespace orc-hI with its own address
# 10.231.0.(10+I) on the host bridge orcbr0 (10.231.0.1) and its own containerd and dockerd. Run as root.
#
#   scripts/testbed.sh up N DIR                 hosts h1..hN, state under DIR/hI (removes a stale testbed first)
#   scripts/testbed.sh down DIR                 stop everything, delete namespaces, links, bridge and DIR/h*
#   scripts/testbed.sh start-host I DIR         start hI's dockerd again (after kill-host)
#   scripts/testbed.sh start-agent I DIR API_URL CLUSTER [LABELS] [AGENT FLAGS...]
#                                               (API_URL is https://...; pass --ca-file CA among the flags;
#                                               --join-token T from `orc node join-token`; the node credential is kept
#                                               in DIR/hI/state and reused when the agent starts again)
#   scripts/testbed.sh stop-agent I DIR         TERM the agent of hI
#   scripts/testbed.sh restart-engine I DIR     TERM hI's dockerd (its containers stop with it), then start it again
#   scripts/testbed.sh kill-host I DIR          SIGKILL every process of hI: agent, dockerd, containerd, shims, containers
#                                               (each host runs its own containerd, so none of its containers survives)
#   scripts/testbed.sh partition I | heal I     take hI's link to the bridge down / up
#   scripts/testbed.sh status DIR               what runs, per host
#   scripts/testbed.sh check-clean              fail (listing each) when anything of a testbed or of the cluster network is
#                                               left on the machine: an orc-h* namespace, orcbr0 or an orc-h*-br link, chain
#                                               ORC-TESTBED, a route of protocol 240, an ORC-* chain, an orc-vxlan device, a
#                                               Docker network orc-e2e-* on the machine's engine (test.sh runs it after EndToEnd)
#
# Only one testbed per machine: the names orc-h*, orcbr0 and 10.231.0.0/24 are fixed.
# ORC_AGENT_DLL overrides the agent program (default: the Release build). Topology and timings: docs/testbed.md.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

TB_BRIDGE=orcbr0
TB_NET=10.231.0
TB_CHAIN=ORC-TESTBED
TB_MAX_HOSTS=20
TB_WAIT=30   # seconds for each wait: dockerd answering, agent healthy
AGENT_DLL="${ORC_AGENT_DLL:-$ORC_ROOT/artifacts/bin/NodeAgent/release/Orchestrator.NodeAgent.dll}"
IMAGE_TAGS=(local/busybox:1 local/web:1 local/web:2 local/web:3)

host_ns()   { printf 'orc-h%s\n' "$1"; }
host_addr() { printf '%s.%s\n' "$TB_NET" "$((10 + $1))"; }
host_link() { printf 'orc-h%s-br\n' "$1"; }   # the host end of the veth, enslaved to the bridge
host_dir()  { printf '%s/h%s\n' "$1" "$2"; }
host_sock() { printf 'unix://%s/docker.sock\n' "$(host_dir "$1" "$2")"; }

require_root() { [ "$(id -u)" -eq 0 ] || die "testbed.sh needs root (namespaces, links, iptables, dockerd)"; }

require_index() {
  case "$1" in ''|*[!0-9]*) die "host index must be a number 1..$TB_MAX_HOSTS, not '$1'" ;; esac
  { [ "$1" -ge 1 ] && [ "$1" -le "$TB_MAX_HOSTS" ]; } || die "host index must be 1..$TB_MAX_HOSTS, not $1"
}

# ---------------------------------------------------------------- network

# The host's FORWARD policy is DROP once a system dockerd ran. Bridged traffic between hosts passes
# FORWARD (br_netfilter), so it is accepted here; anything a host would route further out (to eth0) is
# dropped, so that test hosts and their containers can only ever reach the bridge and the machine itself.
firewall_up() {
  iptables -N "$TB_CHAIN" 2>/dev/null || iptables -F "$TB_CHAIN"
  iptables -A "$TB_CHAIN" -i "$TB_BRIDGE" -o "$TB_BRIDGE" -j ACCEPT
  iptables -A "$TB_CHAIN" -i "$TB_BRIDGE" -j DROP
  iptables -A "$TB_CHAIN" -o "$TB_BRIDGE" -j DROP
  iptables -C FORWARD -j "$TB_CHAIN" 2>/dev/null || iptables -I FORWARD 1 -j "$TB_CHAIN"
}

firewall_down() {
  while iptables -D FORWARD -j "$TB_CHAIN" 2>/dev/null; do :; done
  iptables -F "$TB_CHAIN" 2>/dev/null || true
  iptables -X "$TB_CHAIN" 2>/dev/null || true
}

bridge_up() {
  ip link show "$TB_BRIDGE" >/dev/null 2>&1 || ip link add "$TB_BRIDGE" type bridge
  ip addr replace "$TB_NET.1/24" dev "$TB_BRIDGE"
  ip link set "$TB_BRIDGE" up
  firewall_up
}

# host_net_up I: namespace, veth pair (ns end renamed eth0), address, default route via the bridge.
host_net_up() {
  local i="$1" ns link
  ns="$(host_ns "$i")" link="$(host_link "$i")"
  ip netns add "$ns"
  ip link add "$link" type veth peer name "$ns-ns"
  ip link set "$link" master "$TB_BRIDGE" up
  ip link set "$ns-ns" netns "$ns"
  ip -n "$ns" link set "$ns-ns" name eth0
  ip -n "$ns" addr add "$(host_addr "$i")/24" dev eth0
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  ip -n "$ns" route add default via "$TB_NET.1"
}

# ---------------------------------------------------------------- processes

# ns_kill NS: SIGKILL every process in the namespace and their children. The children matter: containerd
# shims keep containers alive after dockerd dies, and a bridged container has its own network namespace,
# so it is found as a shim's child (killing a container's init ends its whole pid namespace).
ns_kill() {
  local ns="$1" pids=() p
  [ -e "/var/run/netns/$ns" ] || return 0
  mapfile -t pids < <(ip netns pids "$ns" 2>/dev/null || true)
  [ "${#pids[@]}" -gt 0 ] || return 0
  for p in "${pids[@]}"; do
    mapfile -t -O "${#pids[@]}" pids < <(pgrep -P "$p" || true)
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
  # bounded: SIGKILL lands within milliseconds unless a process is stuck in the kernel
  for ((p = 0; p < 50; p++)); do
    [ -z "$(ip netns pids "$ns" 2>/dev/null)" ] && return 0
    sleep 0.1
  done
  warn "processes still in $ns after SIGKILL: $(ip netns pids "$ns" | tr '\n' ' ')"
}

# unmount_under DIR: dockerd killed mid-flight leaves overlay and netns mounts behind; deepest first.
unmount_under() {
  local d m
  d="$(readlink -f "$1")"
  awk -v d="$d/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || warn "could not unmount $m"
  done
}

# ---------------------------------------------------------------- dockerd

# start_containerd I DIR: the host's own containerd inside its namespace, for its dockerd (--containerd). Left to
# itself, dockerd uses a system containerd whenever /run/containerd/containerd.sock exists (Debian's docker.io under
# systemd): the shims and containers would then belong to that containerd, outside the host's namespace, and
# kill-host would leave them running. Its own root, state and sockets under DIR/hI/containerd; no CRI plugin.
start_containerd() {
  local i="$1" dir="$2" cd pid t
  cd="$(host_dir "$dir" "$i")/containerd"
  if pid_alive "$cd/containerd.pid" containerd; then
    return 0
  fi
  command -v containerd >/dev/null 2>&1 || die "containerd not found: each test host runs its own (apt-get install containerd)"
  mkdir -p "$cd"
  printf '%s\n' 'version = 2' "root = \"$cd/root\"" "state = \"$cd/state\"" 'disabled_plugins = ["io.containerd.grpc.v1.cri"]' \
    '[grpc]' "  address = \"$cd/containerd.sock\"" '[ttrpc]' "  address = \"$cd/containerd.sock.ttrpc\"" \
    '[debug]' '  address = ""' '[metrics]' '  address = ""' >"$cd/config.toml"
  rm -f "$cd/containerd.sock" "$cd/containerd.pid"
  nsenter --net="/var/run/netns/$(host_ns "$i")" setsid containerd --config "$cd/config.toml" \
    >>"$cd/containerd.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$cd/containerd.pid"
  for ((t = 0; t < TB_WAIT * 5; t++)); do
    [ -S "$cd/containerd.sock" ] && return 0
    kill -0 "$pid" 2>/dev/null || die "h$i: containerd exited while starting" "$cd/containerd.log"
    sleep 0.2
  done
  die "h$i: containerd did not open $cd/containerd.sock within ${TB_WAIT}s" "$cd/containerd.log"
}

# start_host I DIR: this host's dockerd inside its namespace, on the host's own containerd. nsenter, not `ip netns exec`: the latter
# remounts /sys and dockerd then fails ("Devices cgroup isn't mounted"). Its own bridge (--bip) with
# iptables on in the namespace gives published ports; no userland proxy, so no docker-proxy per port.
start_host() {
  local i="$1" dir="$2" hd sock pid t
  hd="$(host_dir "$dir" "$i")" sock="$(host_sock "$dir" "$i")"
  [ -e "/var/run/netns/$(host_ns "$i")" ] || die "host h$i has no namespace: run 'testbed.sh up' first"
  if pid_alive "$hd/docker.pid" dockerd; then
    log "h$i: dockerd already running (pid $(cat "$hd/docker.pid"))"
    return 0
  fi
  mkdir -p "$hd"
  # its own (empty) config: the machine's /etc/docker/daemon.json is for the system engine
  [ -f "$hd/daemon.json" ] || echo '{}' >"$hd/daemon.json"
  start_containerd "$i" "$dir"
  rm -f "$hd/docker.pid"
  nsenter --net="/var/run/netns/$(host_ns "$i")" setsid dockerd --config-file "$hd/daemon.json" \
    --data-root "$hd/data" --exec-root "$hd/exec" -H "$sock" --pidfile "$hd/docker.pid" \
    --bip "172.30.$i.1/24" --userland-proxy=false --shutdown-timeout 1 \
    --containerd "$hd/containerd/containerd.sock" \
    --containerd-namespace "orc-h$i" --containerd-plugins-namespace "orc-h$i-plugins" \
    >>"$hd/dockerd.log" 2>&1 </dev/null &
  pid=$!
  for ((t = 0; t < TB_WAIT * 5; t++)); do
    docker -H "$sock" info >/dev/null 2>&1 && { log "h$i: dockerd ready (pid $pid, $sock)"; return 0; }
    kill -0 "$pid" 2>/dev/null || die "h$i: dockerd exited while starting" "$hd/dockerd.log"
    sleep 0.2
  done
  die "h$i: dockerd did not answer 'docker info' within ${TB_WAIT}s" "$hd/dockerd.log"
}

# load_images N DIR: the test images into every host. They are built once in h1's own engine (the
# system engine may not run, and other checkouts start and stop it) and kept as a tar keyed by the
# images' content hash, so later runs only load.
load_images() {
  local n="$1" dir="$2" cache tar i pids=() failed=0
  cache="$RUN_DIR/testbed"
  tar="$cache/images-$(_images_hash).tar"
  mkdir -p "$cache"
  if [ ! -f "$tar" ]; then
    log "images: building in h1 (log: $dir/images.log)"
    (LOG_DIR="$dir" DOCKER_HOST="$(host_sock "$dir" 1)" ensure_images) || die "building the images failed" "$dir/images.log"
    docker -H "$(host_sock "$dir" 1)" save -o "$tar.tmp" "${IMAGE_TAGS[@]}"
    mv "$tar.tmp" "$tar"
    find "$cache" -name 'images-*.tar' ! -path "$tar" -delete
  fi
  for ((i = 1; i <= n; i++)); do
    docker -H "$(host_sock "$dir" "$i")" load -q -i "$tar" >>"$(host_dir "$dir" "$i")/dockerd.log" 2>&1 &
    pids+=($!)
  done
  for i in "${pids[@]}"; do wait "$i" || failed=1; done
  [ "$failed" = 0 ] || die "loading $tar into a host failed (see DIR/hI/dockerd.log)"
  log "images: ${IMAGE_TAGS[*]} loaded into h1..h$n"
}

# ---------------------------------------------------------------- agent

# start_agent I DIR API CLUSTER [LABELS] [FLAGS...]: the node agent inside the host's namespace, named hI,
# talking to the host's own dockerd, serving /healthz on the host's address.
start_agent() {
  local i="$1" dir="$2" api="$3" cluster="$4" labels="${5:-}" hd addr pid
  shift 4
  [ "$#" -gt 0 ] && shift
  hd="$(host_dir "$dir" "$i")" addr="$(host_addr "$i")"
  [ -f "$AGENT_DLL" ] || die "$AGENT_DLL missing: build first (dotnet build -c Release Orchestrator.sln)"
  if pid_alive "$hd/agent.pid" Orchestrator.NodeAgent.dll; then
    log "h$i: agent already running (pid $(cat "$hd/agent.pid"))"
    return 0
  fi
  local args=(--api "$api" --node-name "h$i" --docker "$(host_sock "$dir" "$i")" --cluster "$cluster"
              --address "$addr" --listen "https://$addr:7071" --state-dir "$hd/state")
  [ -z "$labels" ] || args+=(--labels "$labels")
  printf '\n=== %s testbed.sh starts the agent of h%s\n' "$(date -Is)" "$i" >>"$hd/agent.log"
  # from its output folder, so that its content root (appsettings*.json) is where the build put it
  # not in a ( subshell ): that one would stay as the agent's parent, holding the caller's stdout open
  cd "$(dirname "$AGENT_DLL")"
  nsenter --net="/var/run/netns/$(host_ns "$i")" setsid dotnet "$AGENT_DLL" "${args[@]}" "$@" >>"$hd/agent.log" 2>&1 </dev/null &
  pid=$!
  echo "$pid" >"$hd/agent.pid"
  HTTP_AGENT_SELF_SIGNED=1 wait_http "https://$addr:7071/healthz" "$TB_WAIT" "$pid" ||
    die "h$i: the agent did not answer https://$addr:7071/healthz" "$hd/agent.log"
  log "h$i: agent ready (pid $pid, cluster $cluster${labels:+, labels $labels})"
}

# kill_host I DIR: SIGKILL everything of hI (agent, dockerd, containerd, shims, containers), then check that no
# container shim of the host survived: one that belongs to a containerd outside the namespace would.
kill_host() {
  local i="$1" dir="$2" hd left
  hd="$(host_dir "$dir" "$i")"
  ns_kill "$(host_ns "$i")"
  rm -f "$hd"/{agent,docker}.pid "$hd/containerd/containerd.pid"
  left="$(pgrep -f "containerd-shim.*-namespace orc-h$i " || true)"
  [ -z "$left" ] || die "h$i: container shims still run after kill-host (pids $(echo "$left" | tr '\n' ' ')): they do not belong to the host's own containerd"
}

# ---------------------------------------------------------------- whole testbed

# remove_host I [DIR]: stop the agent and dockerd gracefully when their pid files are known, kill what is
# left in the namespace, delete the namespace (its veth goes with it), unmount and remove DIR/hI.
remove_host() {
  local i="$1" dir="${2:-}" hd=""
  if [ -n "$dir" ]; then
    hd="$(host_dir "$dir" "$i")"
    stop_pidfile "$hd/agent.pid" 5
    stop_pidfile "$hd/docker.pid" 10
    stop_pidfile "$hd/containerd/containerd.pid" 5
  fi
  ns_kill "$(host_ns "$i")"
  ip netns delete "$(host_ns "$i")" 2>/dev/null || true
  ip link delete "$(host_link "$i")" 2>/dev/null || true
  if [ -n "$hd" ] && [ -d "$hd" ]; then
    unmount_under "$hd"
    rm -rf "$hd"
  fi
}

# existing_hosts: the indexes of every orc-hI namespace, also from an earlier run.
existing_hosts() { ip netns list | awk '{print $1}' | sed -n 's/^orc-h\([0-9][0-9]*\)$/\1/p'; }

tb_down() {
  local dir="${1:-}" i pids=()
  [ -z "$dir" ] || dir="$(readlink -f "$dir")"
  for i in $(existing_hosts); do
    remove_host "$i" "$dir" &
    pids+=($!)
  done
  # hosts whose namespace is already gone may still have files (a half-failed up)
  if [ -n "$dir" ]; then
    for i in "$dir"/h*; do
      [ -d "$i" ] || continue
      i="${i##*/h}"
      case "$i" in ''|*[!0-9]*) continue ;; esac
      [ -e "/var/run/netns/$(host_ns "$i")" ] || { remove_host "$i" "$dir" & pids+=($!); }
    done
  fi
  for i in "${pids[@]}"; do wait "$i" || true; done
  ip link show | sed -n 's/^[0-9]*: \(orc-h[0-9]*-br\)@.*/\1/p' | while read -r i; do ip link delete "$i" 2>/dev/null || true; done
  ip link delete "$TB_BRIDGE" 2>/dev/null || true
  firewall_down
  log "testbed: down"
}

tb_up() {
  local n="$1" dir="$2" i pids=() failed=0 start=$SECONDS
  require_index "$n"
  mkdir -p "$dir"
  dir="$(readlink -f "$dir")"
  ensure_packages
  if [ -n "$(existing_hosts)" ] || ip link show "$TB_BRIDGE" >/dev/null 2>&1; then
    log "testbed: removing a stale testbed (namespaces $(existing_hosts | sed 's/^/orc-h/' | tr '\n' ' '))"
    tb_down "$dir"
  fi
  bridge_up
  for ((i = 1; i <= n; i++)); do host_net_up "$i"; done
  for ((i = 1; i <= n; i++)); do start_host "$i" "$dir" & pids+=($!); done
  for i in "${pids[@]}"; do wait "$i" || failed=1; done
  [ "$failed" = 0 ] || die "a host's dockerd did not start (see $dir/h*/dockerd.log); 'testbed.sh down $dir' cleans up"
  load_images "$n" "$dir"
  log "testbed: h1..h$n up in $((SECONDS - start)) s ($TB_BRIDGE $TB_NET.1/24, state in $dir)"
}

tb_status() {
  local dir="$1" i hd
  for i in $(existing_hosts); do
    hd="$(host_dir "$dir" "$i")"
    printf 'h%s  %-12s link %-5s dockerd %-8s agent %s\n' "$i" "$(host_addr "$i")" \
      "$(cat "/sys/class/net/$(host_link "$i")/operstate" 2>/dev/null || echo gone)" \
      "$(pid_alive "$hd/docker.pid" dockerd && cat "$hd/docker.pid" || echo down)" \
      "$(pid_alive "$hd/agent.pid" Orchestrator.NodeAgent.dll && cat "$hd/agent.pid" || echo down)"
  done
}

# check_clean: everything a testbed or a test cluster's network would leave in the machine's own namespace.
check_clean() {
  local left=() x t
  for x in $(existing_hosts); do left+=("network namespace $(host_ns "$x")"); done
  ip link show "$TB_BRIDGE" >/dev/null 2>&1 && left+=("bridge $TB_BRIDGE")
  for x in $(ip -o link show | sed -n 's/^[0-9]*: \(orc-h[0-9]*-br\)@.*/\1/p'); do left+=("link $x"); done
  ip link show orc-vxlan >/dev/null 2>&1 && left+=("VXLAN device orc-vxlan")
  while read -r x; do [ -z "$x" ] || left+=("route of protocol 240: $x"); done < <(ip -4 route show proto 240)
  for t in nat filter; do
    while read -r x; do [ -z "$x" ] || left+=("iptables: $x"); done < <(iptables-save -t "$t" 2>/dev/null | grep -E '^(:ORC-|-A [A-Z-]+ .*-j ORC-)' || true)
  done
  if docker info >/dev/null 2>&1; then
    for x in $(docker network ls --format '{{.Name}}' | grep '^orc-e2e-' || true); do left+=("Docker network $x (the machine's engine)"); done
  fi
  if [ "${#left[@]}" -gt 0 ]; then
    printf 'error: left on this machine by a testbed or a test cluster (scripts/testbed.sh down and ./down.sh --purge remove them):\n' >&2
    printf '  %s\n' "${left[@]}" >&2
    return 1
  fi
  log "testbed: nothing of a testbed or of the cluster network is left on this machine"
}

usage() { sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

main() {
  [ "$#" -ge 1 ] || usage
  local cmd="$1"
  shift
  require_root
  case "$cmd" in
    up)          [ "$#" -eq 2 ] || usage; tb_up "$1" "$2" ;;
    down)        [ "$#" -le 1 ] || usage; tb_down "${1:-}" ;;
    start-host)  [ "$#" -eq 2 ] || usage; require_index "$1"; start_host "$1" "$(readlink -f "$2")" ;;
    start-agent) [ "$#" -ge 4 ] || usage; require_index "$1"; start_agent "$1" "$(readlink -f "$2")" "${@:3}" ;;
    stop-agent)  [ "$#" -eq 2 ] || usage; require_index "$1"; stop_pidfile "$(host_dir "$(readlink -f "$2")" "$1")/agent.pid" 5 ;;
    restart-engine) [ "$#" -eq 2 ] || usage; require_index "$1"
                 stop_pidfile "$(host_dir "$(readlink -f "$2")" "$1")/docker.pid" 15; start_host "$1" "$(readlink -f "$2")" ;;
    kill-host)   [ "$#" -eq 2 ] || usage; require_index "$1"; kill_host "$1" "$(readlink -f "$2")" ;;
    partition)   [ "$#" -eq 1 ] || usage; require_index "$1"; ip link set "$(host_link "$1")" down ;;
    heal)        [ "$#" -eq 1 ] || usage; require_index "$1"; ip link set "$(host_link "$1")" up ;;
    status)      [ "$#" -eq 1 ] || usage; tb_status "$(readlink -f "$1")" ;;
    check-clean) [ "$#" -eq 0 ] || usage; check_clean ;;
    *) usage ;;
  esac
}

main "$@"
