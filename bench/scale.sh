#!/usr/bin/env bash
# Scale benchmark on SIMULATED nodes (bench/HollowNodes: the real agent code over an in-memory engine): etcd, one
# control plane and N hollow nodes, all on this machine; no Docker engine is used. Prints, in one run:
#   1. one service of REPLICAS replicas: seconds from the start of `orc apply` (the API polled while it runs) to all
#      placed, and to all reported running; and when orc answered;
#   2. SERVICES services of REPLICAS replicas each, applied at once: the same two times;
#   3. at rest with everything running: control-plane RSS and CPU, etcd requests/s and writes/s (from its /metrics),
#      etcd's db size;
#   4. with --control-planes 3 (the default): two more control planes join the same etcd, the hollow nodes restart
#      knowing all three, the SERVICES x REPLICAS are applied again, and one control plane is killed (-9) once half
#      of them run: the time to all running through the survivors, and the count at the end (exactly the total).
# Heavy: run it under the end-to-end lock, and start small:
#   flock /tmp/orc-e2e.lock bench/scale.sh --nodes 100 --services 3
#   flock /tmp/orc-e2e.lock bench/scale.sh                      # 1,000 nodes, 1 x 1,000 then 30 x 1,000 replicas
# Flags: --nodes N (1000), --replicas R (1000), --services S (30), --rest SECONDS (30, the at-rest window),
#        --control-planes 1|3 (3: run step 4), --timeout SECONDS (300, per step; a time-out fails the run, it is never
#        a figure), --steps LIST (one,many,ha: which of steps 1, 2 + 3 and 4 to run; a step left out reports "-").
#        NO_BUILD=1 skips the build.
# Everything it starts (etcd :23379, control planes :18170-18172, the hollow nodes) is stopped on exit; logs: .run/scale/.
# shellcheck disable=SC2119  # lib functions with optional arguments are called without them
set -euo pipefail
# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/scripts/lib.sh"

NODES=1000 REPLICAS=1000 SERVICES=30 REST=30 TIMEOUT=300 CONTROL_PLANES=3 STEPS=one,many,ha
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) NODES="$2"; shift 2 ;;
    --replicas) REPLICAS="$2"; shift 2 ;;
    --services) SERVICES="$2"; shift 2 ;;
    --rest) REST="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --control-planes) CONTROL_PLANES="$2"; shift 2 ;;
    --steps) STEPS="$2"; shift 2 ;;
    *) die "unknown flag $1 (flags: --nodes N --replicas R --services S --rest SECONDS --control-planes 1|3 --timeout SECONDS --steps one,many,ha)" ;;
  esac
done
for v in NODES REPLICAS SERVICES REST TIMEOUT; do
  case "${!v}" in ''|*[!0-9]*|0) die "--${v,,} takes a whole number > 0, got '${!v}'" ;; esac
done
case "$CONTROL_PLANES" in 1|3) ;; *) die "--control-planes takes 1 or 3, got '$CONTROL_PLANES'" ;; esac
for step in ${STEPS//,/ }; do
  case "$step" in one|many|ha) ;; *) die "--steps takes a comma-separated list of one, many and ha, got '$STEPS'" ;; esac
done
# step NAME: whether this run includes it (ha also needs --control-planes 3).
step() { [[ ",$STEPS," == *",$1,"* ]]; }

DIR="$ORC_ROOT/.run/scale"
ETCD_PORT=23379
ETCD="http://127.0.0.1:$ETCD_PORT"
API="https://127.0.0.1:18170"
APIS="$API"   # every control plane that may answer (step 4 adds two): reads go to the first that does
BIN="$ORC_ROOT/artifacts/bin"

cleanup() {
  set +e
  stop_pidfile "$DIR/hollow.pid"
  stop_pidfile "$DIR/cp.pid"
  stop_pidfile "$DIR/cp2.pid"
  stop_pidfile "$DIR/cp3.pid"
  stop_pidfile "$DIR/etcd.pid"
}
trap cleanup EXIT

orc() { ORC_SERVER="$APIS" ORC_CA="$DIR/controlplane/ca.crt" dotnet "$BIN/Cli/release/orc.dll" "$@"; }
now() { date +%s.%N; }
elapsed() { printf '%.2f' "$(echo "$(now) - $1" | bc)"; }

# api_get PATH: the answer of the first control plane of APIS that gives one (one may have been killed).
api_get() {
  local url
  for url in ${APIS//,/ }; do
    curl -fsS --max-time 10 --cacert "$DIR/controlplane/ca.crt" -H "Authorization: Bearer $ORC_TOKEN" "$url$1" 2>/dev/null && return 0
  done
  return 1
}

# until_services START WHAT FIELD COUNT: polls GET /api/v1/services until the sum of status.FIELD over the services
# named bench-* reaches COUNT; prints the seconds since START. A time-out fails the run. One process polls over kept
# connections: a curl and a python3 started per poll, 20 times a second, took most of a core of this machine from
# the control plane and from the orc being timed.
until_services() {
  local got
  if got=$(python3 - "$1" "$3" "$4" "$TIMEOUT" "$APIS" "$DIR/controlplane/ca.crt" "$ORC_TOKEN" <<'PY'
import http.client, json, ssl, sys, time, urllib.parse
start, field, count, timeout, apis, ca, token = float(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5].split(","), sys.argv[6], sys.argv[7]
context = ssl.create_default_context(cafile=ca)
connections = {}
def services():
    # The first control plane that answers (one may have been killed).
    for api in apis:
        url = urllib.parse.urlsplit(api)
        try:
            c = connections.get(api) or http.client.HTTPSConnection(url.hostname, url.port, context=context, timeout=10)
            connections[api] = c
            c.request("GET", "/api/v1/services?namespace=default", headers={"Authorization": "Bearer " + token})
            r = c.getresponse(); body = r.read()
            if r.status == 200: return json.loads(body)
        except Exception:
            connections.pop(api, None)
    return None
got, end = 0, time.time() + timeout
while time.time() < end:
    views = services()
    if views is not None:
        got = sum(v["status"].get(field, 0) for v in views if v["service"]["metadata"]["name"].startswith("bench-"))
        if got >= count:
            print("%.2f" % (time.time() - start)); sys.exit(0)
    # Each poll is a view of every replica: 20 a second of 30,000 would be the control plane's biggest load.
    time.sleep(0.5 if count > 1000 else 0.05)
print(got); sys.exit(1)
PY
  ); then echo "$got"; return 0; fi
  die "time-out: $2: $got of $4 after $TIMEOUT s (a time-out fails the benchmark; it is not a figure)" "$DIR/controlplane.log"
}

# apply_in_background FILE: `orc apply -f FILE` while the caller times what the API shows (placement does not wait for
# orc's answer: the answer waits for the first reconcile of each service to finish, rollout bookkeeping included);
# sets APPLY_PID. Its output goes to FILE.out, and the seconds to its answer from $start to FILE.answered.
apply_in_background() {
  local file="$1" from="$start"
  { if orc apply -f "$file" >"$file.out" 2>&1; then elapsed "$from" >"$file.answered"; else echo "no answer ($(elapsed "$from") s)" >"$file.answered"; fi; } &
  APPLY_PID=$!
}
# apply_answered FILE: waits for the apply started by apply_in_background and prints when it answered.
apply_answered() { wait "$APPLY_PID" || true; cat "$1.answered" 2>/dev/null || echo "?"; }

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

# settle PID: waits (up to 60 s) until the process used less than one core over 2 s: the registration of every
# node at once (and its events) is over, so the timed apply meets a cluster at rest, as an apply usually does.
settle() {
  local start c0 c1 hz end=$((SECONDS + 60))
  start=$(now); hz=$(getconf CLK_TCK)
  while ((SECONDS < end)); do
    c0=$(cpu_ticks "$1"); sleep 2; c1=$(cpu_ticks "$1")
    [ $(((c1 - c0) * 100 / hz / 2)) -lt 100 ] && break
  done
  log "control plane at rest after $(elapsed "$start") s"
}
rss_mib() { awk '/^VmRSS/ {printf "%.0f", $2 / 1024}' "/proc/$1/status"; }

# until_no_replicas: waits (up to TIMEOUT) until the API lists no replica at all.
until_no_replicas() {
  local end=$((SECONDS + TIMEOUT))
  while ((SECONDS < end)) && [ "$(api_get /api/v1/replicas | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' 2>/dev/null || echo x)" != 0 ]; do sleep 0.5; done
}

# start_hollow_nodes: NODES hollow nodes that know every control plane of APIS, and waits until all are ready.
start_hollow_nodes() {
  local start end ready=0
  log "$NODES hollow nodes (a simulation), api $APIS"
  (cd "$BIN/HollowNodes/release" && start_bg "$DIR/hollow.pid" "$DIR/hollow.log" \
    dotnet HollowNodes.dll --api "$APIS" --token-file "$DIR/controlplane/admin.token" --ca-file "$DIR/controlplane/ca.crt" --nodes "$NODES" --cluster scale --jitter "$((NODES / 100 + 1))")
  start=$(now)
  end=$((SECONDS + TIMEOUT))
  while ((SECONDS < end)); do
    ready=$(api_get /api/v1/nodes | python3 -c "import json,sys; print(sum(n['state'] == 'ready' for n in json.load(sys.stdin)))" 2>/dev/null || echo 0)
    [ "$ready" -ge "$NODES" ] && break
    kill -0 "$(cat "$DIR/hollow.pid")" 2>/dev/null || die "the hollow nodes exited" "$DIR/hollow.log"
    sleep 1
  done
  [ "$ready" -ge "$NODES" ] || die "time-out: $ready of $NODES nodes ready after $TIMEOUT s" "$DIR/hollow.log"
  log "$NODES nodes ready after $(elapsed "$start") s"
}

# start_control_plane N PORT SILO GATEWAY: control plane N on the shared etcd, data folder, CA and admin token.
start_control_plane() {
  local n="$1" pidf="$DIR/cp.pid" logf="$DIR/controlplane.log"
  [ "$n" = 1 ] || { pidf="$DIR/cp$n.pid"; logf="$DIR/controlplane$n.log"; }
  local ca=()
  [ -f "$DIR/controlplane/ca.key" ] && ca=(--ca-cert "$DIR/controlplane/ca.crt" --ca-key "$DIR/controlplane/ca.key")
  (cd "$BIN/ControlPlane/release" && start_bg "$pidf" "$logf" \
    dotnet Orchestrator.ControlPlane.dll --urls "https://127.0.0.1:$2" --etcd "$ETCD" --cluster-id scale --silo-port "$3" --gateway-port "$4" \
      --data-dir "$DIR/controlplane" "${ca[@]}")
  wait_http "https://127.0.0.1:$2/readyz" 60 "$(cat "$pidf")" || die "control plane $n did not get ready" "$logf"
}

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
export ORC_CA="$DIR/controlplane/ca.crt"   # the control plane's cluster CA, written at its first start (curl and orc trust it)
start_control_plane 1 18170 11311 30200
CP_PID=$(cat "$DIR/cp.pid")
export ORC_TOKEN; ORC_TOKEN="$(cat "$DIR/controlplane/admin.token")"

start_hollow_nodes
settle "$CP_PID"
one_placed=- one_running=- one_answered=-
if step one; then
  log "one service of $REPLICAS replicas"
  manifest bench-one >"$DIR/one.yaml"
  start=$(now)
  apply_in_background "$DIR/one.yaml"
  one_placed=$(until_services "$start" "placing $REPLICAS replicas" assigned "$REPLICAS")
  one_running=$(until_services "$start" "running $REPLICAS replicas" running "$REPLICAS")
  one_answered=$(apply_answered "$DIR/one.yaml")
  log "placed in $one_placed s, running in $one_running s; orc apply answered in $one_answered s"
  orc delete -f "$DIR/one.yaml" >/dev/null
  until_services "$(now)" "removing bench-one" assigned 0 >/dev/null 2>&1 || true
  until_no_replicas
  settle "$CP_PID"
fi

total=$((SERVICES * REPLICAS))
log "$SERVICES services x $REPLICAS replicas = $total on $NODES nodes"
names=()
for i in $(seq -w 1 "$SERVICES"); do names+=("bench-s$i"); done
manifest "${names[@]}" >"$DIR/many.yaml"
many_placed=- many_running=- many_answered=- rss=- cpu=- rps=- wps=- txps=- db=0 secs=-
if step many; then
  start=$(now)
  # The answer to an apply waits for its services' first placement; past the CLI's 30 s it gives up waiting, but what
  # it sent is stored and placed all the same: the clock goes on, to what the API then shows.
  apply_in_background "$DIR/many.yaml"
  many_placed=$(until_services "$start" "placing $total replicas" assigned "$total")
  many_running=$(until_services "$start" "running $total replicas" running "$total")
  many_answered=$(apply_answered "$DIR/many.yaml")
  log "placed in $many_placed s, running in $many_running s; orc apply answered in $many_answered s"

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
  # Said now too: a later step that fails (the three control planes) must not take these figures with it.
  log "at rest: control plane RSS $rss MiB, CPU $cpu % of one core; etcd $rps requests/s, $wps keys written/s, $txps write txns/s, db $((db / 1024 / 1024)) MiB"
fi

ha_report=""
if [ "$CONTROL_PLANES" = 3 ] && step ha; then
  log "three control planes: the $total replicas removed, two more control planes join, the hollow nodes restart knowing all three"
  orc delete -f "$DIR/many.yaml" >/dev/null || warn "orc delete: no answer within the CLI's time-out; waiting for the removal goes on"
  until_no_replicas
  stop_pidfile "$DIR/hollow.pid"
  start_control_plane 2 18171 11312 30201
  start_control_plane 3 18172 11313 30202
  APIS="$API,https://127.0.0.1:18171,https://127.0.0.1:18172"
  start_hollow_nodes
  settle "$CP_PID"
  start=$(now)
  orc apply -f "$DIR/many.yaml" >/dev/null || warn "orc apply: no answer within the CLI's time-out; timing goes on from the apply"
  half=$(until_services "$start" "running half of $total replicas" running "$((total / 2))")
  # The second control plane: neither the one orc and the first reads try first, nor the last; kill -9, no goodbye.
  kill -9 "$(cat "$DIR/cp2.pid")"
  rm -f "$DIR/cp2.pid"
  log "control plane 2 killed (-9) at $half s, with half of the replicas running"
  ha_placed=$(until_services "$start" "placing $total replicas (one control plane killed)" assigned "$total")
  ha_running=$(until_services "$start" "running $total replicas (one control plane killed)" running "$total")
  # Exactly the total: no slot placed twice by the survivors' takeover, none lost; counted from the replicas themselves.
  # A slot whose node was judged Down meanwhile may hold its successor and the lost replica for a moment (the lost one
  # goes once the successor is placed): the count is taken once it stops moving, or after 60 s.
  settled=$(now) ha_count=x
  for _ in $(seq 60); do
    sleep 1
    count=$(api_get /api/v1/replicas | python3 -c "import json,sys; print(sum(r['replica']['service'].startswith('bench-') for r in json.load(sys.stdin)))" || echo x)
    [ "$count" = "$total" ] && { ha_count=$count; break; }
    ha_count=$count
  done
  log "replicas at the end: $ha_count, $(elapsed "$settled") s after all were running"
  [ "$ha_count" = "$total" ] || die "with one control plane killed: $ha_count replicas at the end, not exactly $total" "$DIR/controlplane.log"
  ha_report="  3 control planes, #2 killed (-9) at $half s
    $SERVICES x $REPLICAS replicas       placed $ha_placed s    running $ha_running s    replicas at the end: $ha_count (exactly $total)"
fi

cat <<REPORT

scale benchmark: $NODES hollow nodes (simulated), 1 control plane, etcd 1 member ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))
  1 x $REPLICAS replicas        placed $one_placed s    running $one_running s    (orc apply answered in $one_answered s)
  $SERVICES x $REPLICAS replicas       placed $many_placed s    running $many_running s    (orc apply answered in $many_answered s)
  at rest ($secs s, $total replicas running)
    control plane       RSS $rss MiB    CPU $cpu % of one core
    etcd                requests $rps/s (finished gRPC calls)    keys written $wps/s    write transactions $txps/s (revisions)
    etcd db size        $((db / 1024 / 1024)) MiB
$ha_report
REPORT
