#!/usr/bin/env bash
# The cost of the service network, with real packets on the 3-host testbed (scripts/testbed.sh), in one run:
# the same small page (local/web:1, busybox httpd; one replica on h2) fetched from h1 (which runs no replica)
#   direct     http://REPLICA_IP:8080/        h1 -> route 10.240.x.0/24 via h2 -> bridge -> replica (no NAT)
#   vip        http://VIRTUAL_IP:8080/        the same, after ORC-SERVICES' DNAT (statistic chain, conntrack)
#   published  http://10.231.0.11:30080/      h1's own address: ORC-NODEPORTS, DNAT + masquerade, to h2
#   swarm      http://10.231.0.11:30081/      Docker Swarm's routing mesh (ingress, IPVS + VXLAN) on the same engines
#                                             (h1 manager, h2 worker running the one task); only where the kernel has
#                                             IPVS (ip_vs), which the mesh needs: otherwise the report says it was not measured
# with wrk (HTTP/1.1; busybox httpd closes every connection, so every request is a new connection: a new DNAT).
# Prints requests/s, p50 and p99 per path (the median over the rounds), the ratio vip/direct and ours/Swarm, and per run
# the counters that explain a slow connection set-up: SYNs h1 retransmitted, SYNs the replica's TIME_WAIT sockets refused
# (TcpExt PAWSTimewait) or its listening socket dropped (ListenDrops), and conntrack's insert_failed, drop, early_drop
# and clash_resolve on h1 and h2 (`conntrack -S`).
#
# The client (h1) sends TCP timestamps without a per-destination offset (net.ipv4.tcp_timestamps=2 in h1's namespace;
# CLIENT_TIMESTAMPS=1 keeps the kernel's default): the paths reach the one replica from the same address and port range, so
# a port of the path before is still in TIME_WAIT on the replica (60 s); the kernel draws the timestamps' offset per
# (source, destination) address, so the next path's SYN, sent to another address, may carry older timestamps: the
# replica refuses it (PAWS), the client resets and sends it again. A real client reaches a replica by one path.
# And the client reuses its own TIME_WAIT ports (net.ipv4.tcp_tw_reuse=1 in h1's namespace, as load generators do;
# CLIENT_TW_REUSE=2 keeps the default): wrk closes first, so a run leaves up to 42,000 of h1's connections in TIME_WAIT
# for 60 s, and a path run again within that minute finds most of the 28,000 ports to its destination taken: each
# connect() searches the port range, and that run fell to a fifth of the requests/s, whatever the path.
#
#   bench/network.sh                     ROUNDS=3 DURATION=10 CONNECTIONS=16 by default (environment)
#   NO_BUILD=1 bench/network.sh          use the Release build as it is
#
# It starts (and on exit, also after a failure, removes) its own testbed, etcd, control plane and agents
# (--network-mode ${MODE:-host-gw}; MODE=vxlan measures the VXLAN device instead), the Swarm service, the Swarm itself
# (both engines leave it) and its folder .run/netbench. The testbed is one per machine: the script takes the
# end-to-end lock (/tmp/orc-e2e.lock) itself. Run as root. Check with `shellcheck -x bench/network.sh`.
set -euo pipefail

LOCK=/tmp/orc-e2e.lock
if [ "${ORC_E2E_LOCK_HELD:-0}" != 1 ]; then
  exec env ORC_E2E_LOCK_HELD=1 flock "$LOCK" "$0" "$@"
fi

# shellcheck source=bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-16}"
MODE="${MODE:-host-gw}"
CLIENT_TIMESTAMPS="${CLIENT_TIMESTAMPS:-2}"
CLIENT_TW_REUSE="${CLIENT_TW_REUSE:-1}"
DIR="$ORC_ROOT/.run/netbench"
TB="$ORC_ROOT/scripts/testbed.sh"
CLUSTER=netbench
API="https://10.231.0.1:17270"
export ORC_CA="$DIR/control-plane/ca.crt"
H1=10.231.0.11
OURS_PORT=30080
SWARM_PORT=30081
SWARM_SERVICE=netbench-web
dsock() { printf 'unix://%s/h%s/docker.sock' "$DIR/testbed" "$1"; }
in_h1() { nsenter --net=/var/run/netns/orc-h1 "$@"; }
in_h2() { nsenter --net=/var/run/netns/orc-h2 "$@"; }

cleanup() {
  local rc=$?
  set +e
  if [ "$rc" != 0 ] && [ -d "$DIR/testbed" ]; then
    # what explains a failure outlives the testbed
    rm -rf "$ORC_ROOT/.run/netbench-failed" && mkdir -p "$ORC_ROOT/.run/netbench-failed"
    for f in "$DIR"/*.log "$DIR"/testbed/h*/*.log; do [ -f "$f" ] && cp "$f" "$ORC_ROOT/.run/netbench-failed/$(basename "$(dirname "$f")")-$(basename "$f")"; done
    { docker -H "$(dsock 1)" node ls; docker -H "$(dsock 1)" service ps --no-trunc "$SWARM_SERVICE"; docker -H "$(dsock 1)" network ls
      in_h1 iptables-save; in_h1 ip addr; } >"$ORC_ROOT/.run/netbench-failed/state.txt" 2>&1
    warn "logs and state kept in .run/netbench-failed/"
  fi
  log "cleaning up: Swarm service, Swarm, agents, control plane, etcd, testbed, $DIR"
  docker -H "$(dsock 1)" service rm "$SWARM_SERVICE" >/dev/null 2>&1
  docker -H "$(dsock 2)" swarm leave --force >/dev/null 2>&1
  docker -H "$(dsock 1)" swarm leave --force >/dev/null 2>&1
  [ -f "$DIR/cp.pid" ] && orc delete service web >/dev/null 2>&1
  for i in 1 2 3; do [ -f "$DIR/testbed/h$i/agent.pid" ] && "$TB" stop-agent "$i" "$DIR/testbed" >/dev/null 2>&1; done
  stop_pidfile "$DIR/cp.pid"
  stop_pidfile "$DIR/etcd.pid"
  "$TB" down "$DIR/testbed" >/dev/null 2>&1
  rm -rf "$DIR"
}

# wrk_run URL: one wrk run from h1; prints "REQ_PER_S P50_MS P99_MS ERRORS".
wrk_run() {
  in_h1 wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 5s --latency -H 'Connection: close' "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /^ +50%/ { p50 = ms($2) } /^ +99%/ { p99 = ms($2) } /^Requests\/sec:/ { rps = $2 }
    /Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 } /Non-2xx/ { err += $NF }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, err }'
}

# tcp_ext NAME IN...: a TcpExt counter (/proc/net/netstat) of the network namespace the command prefix IN enters.
# shellcheck disable=SC2016  # an awk program
tcp_ext() {
  local name=$1; shift
  "$@" awk -v want="$name" '/^TcpExt:/ { if (!h) { for (i = 1; i <= NF; i++) n[i] = $i; h = 1 } else for (i = 1; i <= NF; i++) if (n[i] == want) print $i }' /proc/net/netstat
}
# ct_stats IN...: conntrack's "insert_failed drop early_drop clash_resolve" (`conntrack -S`, summed over the CPUs) there.
ct_stats() {
  "$@" conntrack -S 2>/dev/null | awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); s[kv[1]] += kv[2] } }
    END { printf "%d %d %d %d\n", s["insert_failed"], s["drop"], s["early_drop"], s["clash_resolve"] }'
}
in_replica() { nsenter --net="/proc/$REPLICA_PID/ns/net" "$@"; }
# counters: what explains a slow connection set-up, as absolute values in the order of COUNTERS: h1's retransmitted SYNs
# (at once after an answer that did not fit, 1 s later after a loss), SYNs the replica's TIME_WAIT sockets refused, SYNs its listening socket dropped (a
# full accept queue), then conntrack -S on h1 and on h2.
counters() { echo "$(tcp_ext TCPSynRetrans in_h1) $(tcp_ext PAWSTimewait in_replica) $(tcp_ext ListenDrops in_replica) $(ct_stats in_h1) $(ct_stats in_h2)"; }
COUNTERS=(syn_retrans paws_timewait listen_drops h1_insert_failed h1_drop h1_early_drop h1_clash_resolve h2_insert_failed h2_drop h2_early_drop h2_clash_resolve)

# until_answers URL WHAT: polls from h1 until URL gives the page (120 s).
until_answers() {
  local end=$((SECONDS + 120))
  while ((SECONDS < end)); do
    in_h1 timeout 3 busybox wget -qO- "$1" 2>/dev/null | grep -q 'hello from web v1' && return 0
    sleep 0.5
  done
  die "time-out: $2 ($1) did not answer from h1 within 120 s"
}

[ "$(id -u)" = 0 ] || die "bench/network.sh needs root (the testbed)"
case "$MODE" in host-gw|vxlan) ;; *) die "MODE takes host-gw or vxlan, got '$MODE'" ;; esac
ensure_packages
ensure_dotnet
command -v wrk >/dev/null 2>&1 || { log "installing wrk (the load generator)"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v conntrack >/dev/null 2>&1 || { log "installing conntrack"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq conntrack >/dev/null; }
if [ "${NO_BUILD:-0}" != 1 ]; then log "building (Release)"; dotnet_build "$ORC_ROOT/.run/netbench-build.log"; fi
trap cleanup EXIT
rm -rf "$DIR"
mkdir -p "$DIR"

"$TB" up 3 "$DIR/testbed"
start_etcd "$DIR/etcd" 22479 22480 "$DIR/etcd.pid" "$DIR/etcd.log"
(cd "$ORC_ROOT/artifacts/bin/ControlPlane/release" && start_bg "$DIR/cp.pid" "$DIR/controlplane.log" \
  dotnet Orchestrator.ControlPlane.dll --urls "$API" --etcd http://127.0.0.1:22479 --cluster-id "$CLUSTER" \
  --silo-port 11411 --gateway-port 30300 --data-dir "$DIR/control-plane")
wait_http "$API/readyz" 60 || die "the control plane did not get ready" "$DIR/controlplane.log"
ORC_TOKEN="$(cat "$DIR/control-plane/admin.token")"
export ORC_TOKEN
for i in 1 2 3; do
  "$TB" start-agent "$i" "$DIR/testbed" "$API" "$CLUSTER" "" --ca-file "$ORC_CA" --join-token "$(orc node join-token --ttl 10m)" \
    --network-mode "$MODE" --network-interval 00:00:01 --stop-timeout 00:00:01
done

cat >"$DIR/web.yaml" <<YAML
apiVersion: orchestrator/v1
kind: Service
metadata: {name: web}
spec:
  image: local/web:1
  replicas: 1
  # a whole core: at 10m the replica itself (its CPU quota) would be what is measured
  resources: {cpu: 1000m, memory: 32Mi}
  ports:
    - {containerPort: 8080, publishedPort: $OURS_PORT}
  placement:
    nodeSelector: {node.name: h2}
YAML
orc apply -f "$DIR/web.yaml" >/dev/null
end=$((SECONDS + 60)) vip="" replica=""
while ((SECONDS < end)); do
  read -r vip replica < <(http_get "$API/api/v1/endpoints?service=web" 2>/dev/null |
    python3 -c 'import json,sys; e=json.load(sys.stdin); e=e[0] if e else {}; r=e.get("ready") or [{}]; print(e.get("virtualIp") or "-", r[0].get("ip") or "-")' 2>/dev/null) || true
  [ -n "$vip" ] && [ "$vip" != - ] && [ -n "$replica" ] && [ "$replica" != - ] && break
  sleep 0.5
done
if [ -z "$replica" ] || [ "$replica" = - ]; then die "time-out: web has no ready endpoint after 60 s" "$DIR/controlplane.log"; fi

declare -A URL=([direct]="http://$replica:8080/" [vip]="http://$vip:8080/" [published]="http://$H1:$OURS_PORT/" [swarm]="http://$H1:$SWARM_PORT/")
PATHS=(direct vip published swarm)
# Swarm's routing mesh balances in IPVS (in its ingress sandbox): without ip_vs in the kernel dockerd logs "Native
# loadbalancing will not work" and publishes nothing. Then the mesh is not measured, and the report says why.
NO_MESH=""
if [ ! -e /proc/net/ip_vs ] && ! modprobe ip_vs 2>/dev/null; then
  NO_MESH="not measured: this kernel ($(uname -r)) has no IPVS (ip_vs), which Swarm's routing mesh needs"
  warn "Swarm's routing mesh: $NO_MESH"
  PATHS=(direct vip published)
else
  log "Swarm on the testbed's engines: h1 manager, h2 worker"
  docker -H "$(dsock 1)" swarm init --advertise-addr "$H1" >/dev/null
  docker -H "$(dsock 2)" swarm join --token "$(docker -H "$(dsock 1)" swarm join-token -q worker)" "$H1:2377" >/dev/null
  docker -H "$(dsock 1)" node update --label-add orcbench=h2 "$(docker -H "$(dsock 2)" info -f '{{.Swarm.NodeID}}')" >/dev/null
  docker -H "$(dsock 1)" service create --detach --no-resolve-image --name "$SWARM_SERVICE" --replicas 1 \
    --constraint node.labels.orcbench==h2 --publish "published=$SWARM_PORT,target=8080" local/web:1 >/dev/null
fi
for p in "${PATHS[@]}"; do until_answers "${URL[$p]}" "$p"; done

# The replica's network namespace (its TIME_WAIT sockets' counters): the one container on h2's engine on our network.
REPLICA_PID="$(docker -H "$(dsock 2)" inspect -f '{{.State.Pid}}' "$(docker -H "$(dsock 2)" ps -q --filter "network=orc-$CLUSTER" | head -n1)")"
if [ -z "$REPLICA_PID" ] || [ "$REPLICA_PID" = 0 ]; then die "the replica's container on h2 was not found"; fi
in_h1 sysctl -qw "net.ipv4.tcp_timestamps=$CLIENT_TIMESTAMPS" "net.ipv4.tcp_tw_reuse=$CLIENT_TW_REUSE"

declare -A RPS P50 P99 ERR DELTAS
for ((round = 1; round <= ROUNDS; round++)); do
  order=("${PATHS[@]}")
  ours_first "$round" || for ((i = 0; i < ${#PATHS[@]}; i++)); do order[i]="${PATHS[${#PATHS[@]} - 1 - i]}"; done
  for p in "${order[@]}"; do
    # Each path starts with h1's connection table empty: the paths share the client address, its port range and the
    # replica, so a connection of the path before (TIME_WAIT for 120 s) would clash with this one's NAT (FLUSH=0 keeps them).
    [ "${FLUSH:-1}" = 0 ] || in_h1 conntrack -F >/dev/null 2>&1 || true
    DURATION=2 wrk_run "${URL[$p]}" >/dev/null   # warm-up: ARP, the replica's page cache
    read -r -a before < <(counters)
    waiting="client TIME_WAIT $(in_h1 ss -tan state time-wait | tail -n +2 | wc -l), replica TIME_WAIT $(in_replica ss -tan state time-wait | tail -n +2 | wc -l)"
    read -r rps p50 p99 err < <(wrk_run "${URL[$p]}")
    read -r -a after < <(counters)
    delta=""
    for ((i = 0; i < ${#COUNTERS[@]}; i++)); do delta+="${COUNTERS[i]}=$((after[i] - before[i])) "; done
    log "round $round $p: $rps req/s, p50 $p50 ms, p99 $p99 ms, $err errors; before: $waiting; $delta"
    RPS[$p]+="$rps " P50[$p]+="$p50 " P99[$p]+="$p99 " ERR[$p]=$(( ${ERR[$p]:-0} + err )) DELTAS[$p]+="  round $round: $delta
"
  done
done

# shellcheck disable=SC2086  # one value per word
for p in "${PATHS[@]}"; do RPS[$p]=$(median ${RPS[$p]}); P50[$p]=$(median ${P50[$p]}); P99[$p]=$(median ${P99[$p]}); done
pct() { printf '%+.1f' "$(echo "scale=4; 100 * ($2 - $1) / $1" | bc)"; }
cat <<REPORT

network benchmark ($MODE, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%MZ)): wrk -c$CONNECTIONS ${DURATION}s x $ROUNDS rounds from h1 (tcp_timestamps=$CLIENT_TIMESTAMPS, tcp_tw_reuse=$CLIENT_TW_REUSE), one replica of local/web:1 on h2, a new connection per request; medians
  path        requests/s    p50 ms    p99 ms   errors
$(for p in "${PATHS[@]}"; do printf '  %-10s %11s %9s %9s %8s\n' "$p" "${RPS[$p]}" "${P50[$p]}" "${P99[$p]}" "${ERR[$p]}"; done)
  virtual IP against direct:     requests/s $(ratio "${RPS[direct]}" "${RPS[vip]}") x ($(pct "${RPS[direct]}" "${RPS[vip]}") %), p99 $(pct "${P99[direct]}" "${P99[vip]}") %   (goal: costs under 10 %)
  published port (h1, no replica there) against direct: requests/s $(ratio "${RPS[direct]}" "${RPS[published]}") x ($(pct "${RPS[direct]}" "${RPS[published]}") %), p99 $(pct "${P99[direct]}" "${P99[published]}") %
$(if [ -n "$NO_MESH" ]; then echo "  Swarm's routing mesh: $NO_MESH"; else
  echo "  our published port against Swarm's mesh: requests/s $(ratio "${RPS[swarm]}" "${RPS[published]}") x, p99 $(ratio "${P99[swarm]}" "${P99[published]}") x   (goal: above 1 and below 1)"; fi)
  counters per run (syn_retrans: h1's retransmitted SYNs; paws_timewait: SYNs the replica's TIME_WAIT sockets refused;
  listen_drops: SYNs the replica's listening socket dropped; h1_/h2_: conntrack -S in h1's and h2's namespaces):
$(for p in "${PATHS[@]}"; do printf '  %s\n%s' "$p" "${DELTAS[$p]}"; done)
REPORT
