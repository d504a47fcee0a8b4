#!/usr/bin/env bash
# Scale benchmark on SIMULATED nodes (bench/HollowNodes: the real agent code over an in-memory engine): etcd, one
# control plane and N hollow nodes, all on this machine; no Docker engine is used. Prints, in one run:
#   1. one service of REPLICAS replicas: seconds from `orc apply` to all placed, and to all reported running;
#   2. SERVICES services of REPLICAS replicas each, applied at once: the same two times;
#   3. at rest with everything running: control-plane RSS and CPU, etcd requests/s and writes/s (from its /metrics),
#      etcd's db size.
# Heavy: run it under the end-to-end lock, and start small:
#   flock /tmp/orc-e2e.lock bench/scale.sh --nodes 100 --services 3
#   flock /tmp/orc-e2e.lock bench/scale.sh                      # 1,000 nodes, 1 x 1,000 then 30 x 1,000 replicas
# Flags: --nodes N (1000), --replicas R (1000), --services S (30), --rest SECONDS (30, the at-rest window),
#        --timeout SECONDS (300, per step; a time-out fails the run, it is never a figure). NO_BUILD=1 skips the build.
# Everything it starts (etcd :23379, control plane :18170, the hollow nodes) is stopped on exit; logs: .run/scale/.
# shellcheck disable=SC2119  # lib functions with optional arguments are called without them
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/scripts/lib.sh"

NODES=1000 REPLICAS=1000 SERVICES=30 REST=30 TIMEOUT=300
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES="$2"; shift 2 ;;
    --replicas) REPLICAS="$2"; shift 2 ;;
    --services) SERVICES="$2"; shift 2 ;;
    --rest) REST="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    *) die "unknown flag $1 (flags: --nodes N --replicas R --services S --rest SECONDS --timeout SECONDS)" ;;
  esac
done
for v in NODES REPLICAS SERVICES REST TIMEOUT; do
  case "${!v}" in ''|*[!0-9]*|0) die "--${v,,} takes a whole number > 0, got '${!v}'" ;; esac
done

DIR="$ORC_ROOT/.run/scale"
ETCD_PORT=23379
ETCD="http://127.0.0.1:$ETCD_PORT"
API="https://127.0.0.1:18170"
BIN="$ORC_ROOT/artifacts/bin"

cleanup() {
  set +e
  stop_pidfile "$DIR/hollow.pid"
  stop_pidfile "$DIR/cp.pid"
  stop_pidfile "$DIR/etcd.pid"
}
trap cleanup EXIT

orc() { ORC_SERVER="$API" ORC_CA="$DIR/controlplane/ca.crt" dotnet "$BIN/Cli/release/orc.dll" "$@"; }
now() { date +%s.%N; }
elapsed() { printf '%.2f' "$(echo "$(now) - $1" | bc)"; }

# until_services START WHAT FIELD COUNT: polls GET /api/v1/services until the sum of status.FIELD over the services
# named bench-* reaches COUNT; prints the seconds since START. A time-out fails the run.
until_services() {
  local start="$1" what="$2" field="$3" count="$4" end=$((SECONDS + TIMEOUT)) got
  while ((SECONDS < end)); do
    got=$(curl -fsS --max-time 10 --cacert "$DIR/controlplane/ca.crt" -H "Authorization: Bearer $ORC_TOKEN" "$API/api/v1/services?namespace=default" | python3 -c "
import json, sys
print(sum(v['status'].get('$field', 0) for v in json.load(sys.stdin) if v['service']['metadata']['name'].startswith('bench-')))" 2>/dev/null || echo 0)
    if [ "$got" -ge "$count" ]; then elapsed "$start"; return 0; fi
    sleep 0.05
  done
  die "time-out: $what: $got of $count after $TIMEOUT s (a time-out fails the benchmark; it is not a figure)" "$DIR/controlplane.log"
}

# manifest NAME...: one Service document per name, REPLICAS replicas of a sleeper each, small enough that 30 fit a node.
manifest() {
  local name
  for name in "$@"; do
    printf -- '---\napiVersion: orchestrator/v1\nkind: Service\nmetadata:\n  name: %s\nspec:\n  image: local/sleep:1\n  command: [sleep, "3600"]\n  replicas: %s\n  resources:\n    cpu: 10m\n    memory: 16Mi\n' "$name" "$REPLICAS"
  done
}

# etcd_metric NAME...: the sum of these counters (every label) on etcd's /metrics.
etcd_metric() {
  curl -fsS "$ETCD/metrics" | awk -v names=" $* " '/^#/ {next} {n=$1; sub(/\{.*/, "", n); if (index(names, " " n " ")) s += $NF} END {printf "%.0f\n", s}'
}
etcd_revision() { etcdctl --endpoints "$ETCD" endpoint status -w json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Status"]["header"]["revision"])'; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mib() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

mkdir -p "$DIR"
rm -rf "$DIR/etcd" "$DIR"/*.log
ensure_packages
ensure_dotnet
if [ "${NO_BUILD:-0}" != 1 ]; then
  log "building (Release): control plane, orc, hollow nodes"
  for p in src/ControlPlane src/Cli bench/HollowNodes; do
    MSBUILDDISABLENODEREUSE=1 dotnet build "$ORC_ROOT/$p" -c Release -v:q -nologo >>"$DIR/build.log" 2>&1 || die "build of $p failed" "$DIR/build.log"
  done
fi

log "etcd on $ETCD (fresh data)"
start_etcd "$DIR/etcd" "$ETCD_PORT" 23380 "$DIR/etcd.pid" "$DIR/etcd.log"
log "control plane on $API"
(cd "$BIN/ControlPlane/release" && start_bg "$DIR/cp.pid" "$DIR/controlplane.log" \
  dotnet Orchestrator.ControlPlane.dll --urls "$API" --etcd "$ETCD" --cluster-id scale --silo-port 11311 --gateway-port 30200 \
    --data-dir "$DIR/controlplane")
CP_PID=$(cat "$DIR/cp.pid")
export ORC_CA="$DIR/controlplane/ca.crt"   # the control plane's cluster CA, written at its first start (curl and orc trust it)
wait_http "$API/readyz" 60 "$CP_PID" || die "the control plane did not get ready" "$DIR/controlplane.log"
# The admin token the control plane wrote: orc uses it, and the hollow nodes call with it (a simulation's shortcut).
export ORC_TOKEN; ORC_TOKEN="$(cat "$DIR/controlplane/admin.token")"

log "$NODES hollow nodes (a simulation)"
(cd "$BIN/HollowNodes/release" && start_bg "$DIR/hollow.pid" "$DIR/hollow.log" \
  dotnet HollowNodes.dll --api "$API" --token-file "$DIR/controlplane/admin.token" --ca-file "$DIR/controlplane/ca.crt" --nodes "$NODES" --cluster scale --jitter "$((NODES / 100 + 1))")
start=$(now)
end=$((SECONDS + TIMEOUT))
while ((SECONDS < end)); do
  ready=$(curl -fsS --max-time 10 --cacert "$DIR/controlplane/ca.crt" -H "Authorization: Bearer $ORC_TOKEN" "$API/api/v1/nodes" | python3 -c "import json,sys; print(sum(n['state'] == 'ready' for n in json.load(sys.stdin)))" 2>/dev/null || echo 0)
  [ "$ready" -ge "$NODES" ] && break
  kill -0 "$(cat "$DIR/hollow.pid")" 2>/dev/null || die "the hollow nodes exited" "$DIR/hollow.log"
  sleep 1
done
[ "$ready" -ge "$NODES" ] || die "time-out: $ready of $NODES nodes ready after $TIMEOUT s" "$DIR/hollow.log"
log "$NODES nodes ready after $(elapsed "$start") s"

log "one service of $REPLICAS replicas"
manifest bench-one >"$DIR/one.yaml"
start=$(now)
orc apply -f "$DIR/one.yaml" >/dev/null
one_placed=$(until_services "$start" "placing $REPLICAS replicas" assigned "$REPLICAS")
one_running=$(until_services "$start" "running $REPLICAS replicas" running "$REPLICAS")
log "placed in $one_placed s, running in $one_running s"
orc delete -f "$DIR/one.yaml" >/dev/null
until_services "$(now)" "removing bench-one" assigned 0 >/dev/null 2>&1 || true
end=$((SECONDS + TIMEOUT))
while ((SECONDS < end)) && [ "$(curl -fsS --cacert "$DIR/controlplane/ca.crt" -H "Authorization: Bearer $ORC_TOKEN" "$API/api/v1/replicas" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" != 0 ]; do sleep 0.5; done

total=$((SERVICES * REPLICAS))
log "$SERVICES services x $REPLICAS replicas = $total on $NODES nodes"
names=()
for i in $(seq -w 1 "$SERVICES"); do names+=("bench-s$i"); done
manifest "${names[@]}" >"$DIR/many.yaml"
start=$(now)
# The answer to an apply waits for its services' first placement; past the CLI's 30 s it gives up waiting, but what
# it sent is stored and placed all the same: the clock goes on, to what the API then shows.
orc apply -f "$DIR/many.yaml" >/dev/null || warn "orc apply: no answer within the CLI's time-out; timing goes on from the apply"
many_placed=$(until_services "$start" "placing $total replicas" assigned "$total")
many_running=$(until_services "$start" "running $total replicas" running "$total")
log "placed in $many_placed s, running in $many_running s"

log "at rest for $REST s"
sleep 5
req0=$(etcd_metric grpc_server_handled_total); put0=$(etcd_metric etcd_mvcc_put_total etcd_mvcc_delete_total)
rev0=$(etcd_revision); cpu0=$(cpu_ticks "$CP_PID"); t0=$(now)
sleep "$REST"
req1=$(etcd_metric grpc_server_handled_total); put1=$(etcd_metric etcd_mvcc_put_total etcd_mvcc_delete_total)
rev1=$(etcd_revision); cpu1=$(cpu_ticks "$CP_PID"); secs=$(elapsed "$t0")
hz=$(getconf CLK_TCK)
rss=$(rss_mib "$CP_PID")
cpu=$(echo "scale=1; 100 * ($cpu1 - $cpu0) / $hz / $secs" | bc)
rps=$(echo "scale=1; ($req1 - $req0) / $secs" | bc)
wps=$(echo "scale=1; ($put1 - $put0) / $secs" | bc)
txps=$(echo "scale=1; ($rev1 - $rev0) / $secs" | bc)
db=$(etcd_metric etcd_mvcc_db_total_size_in_bytes)

cat <<REPORT

scale benchmark: $NODES hollow nodes (simulated), 1 control plane, etcd 1 member ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))
  1 x $REPLICAS replicas        placed $one_placed s    running $one_running s
  $SERVICES x $REPLICAS replicas       placed $many_placed s    running $many_running s
  at rest ($secs s, $total replicas running)
    control plane       RSS $rss MiB    CPU $cpu % of one core
    etcd                requests $rps/s (finished gRPC calls)    keys written $wps/s    write transactions $txps/s (revisions)
    etcd db size        $((db / 1024 / 1024)) MiB
REPORT
