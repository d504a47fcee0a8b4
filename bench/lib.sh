# shellcheck shell=bash
# shellcheck disable=SC2034  # globals are for the scripts that source this
# What the benchmarks beside Docker Swarm share (bench/converge.sh, bench/rollout.sh). Source it; it sources
# scripts/lib.sh and only defines things.
#
#   bench_prepare                 packages, .NET, dockerd, the local images, a Release build (NO_BUILD=1 skips the
#                                 build: for runs back to back, or under the e2e lock, of a checkout built before)
#   bench_cluster_up              a private one-machine cluster: etcd :22379 (fresh data), control plane $API, one
#                                 agent "bench" joined with a join token; exports ORC_TOKEN (the admin token);
#                                 returns once the node is registered
#   bench_cluster_down            stops that cluster (agent, control plane, etcd) and removes its containers, so that
#                                 nothing of ours runs or uses the CPU during Swarm's turn
#   bench_cleanup                 stops that cluster, removes $SWARM_SERVICE, leaves Swarm if swarm_init joined it,
#                                 removes the cluster's containers, stops dockerd if bench_prepare started it
#   swarm_init                    `docker swarm init` unless this engine is already in a Swarm (bench_cleanup
#                                 leaves it again, and removes the docker_gwbridge network the init made)
#   orc ARGS...                   the CLI of this checkout against $API
#   now / elapsed START           wall clock in seconds (with fractions) / seconds since START, 2 decimals
#   median X... / ratio OURS SWARM
#   ours_first ROUND              0 when Orchestrator goes first in ROUND (odd rounds), 1 when Swarm does
#   timed_out WHAT                die: a time-out fails the benchmark, it is never a figure in a median
# shellcheck source=scripts/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/scripts/lib.sh"

here="$ORC_ROOT"
BENCH_DIR="$here/.run/bench"
API_PORT=17170
API="https://127.0.0.1:$API_PORT"
# the bench control plane's cluster CA (created on its first start); curl (http_get) and orc trust the API by it
export ORC_CA="$BENCH_DIR/control-plane/ca.crt"
CLUSTER=bench
SWARM_SERVICE="${SWARM_SERVICE:-bench-swarm}"
swarm_was_active=1
gwbridge_existed=1

bench_prepare() {
  mkdir -p "$BENCH_DIR"
  ensure_packages
  ensure_dotnet
  ensure_dockerd "$BENCH_DIR/dockerd.pid"
  ensure_images
  if [ "${NO_BUILD:-0}" = 1 ]; then
    [ -f "$here/artifacts/bin/Cli/release/orc.dll" ] || die "NO_BUILD=1 but $here is not built (dotnet build -c Release)"
    return 0
  fi
  log "building (Release)"
  dotnet_build "$BENCH_DIR/build.log"
}

bench_cleanup() {
  set +e
  bench_cluster_down
  docker service rm "$SWARM_SERVICE" >/dev/null 2>&1
  [ "$swarm_was_active" = 1 ] || docker swarm leave --force >/dev/null 2>&1
  [ "$gwbridge_existed" = 1 ] || docker network rm docker_gwbridge >/dev/null 2>&1
  [ "${DOCKERD_STARTED:-0}" = 1 ] && stop_pidfile "$BENCH_DIR/dockerd.pid"
}

bench_cluster_down() {
  local ids
  [ -f "$BENCH_DIR/agent.pid" ] && stop_pidfile "$BENCH_DIR/agent.pid"
  [ -f "$BENCH_DIR/cp.pid" ] && stop_pidfile "$BENCH_DIR/cp.pid"
  [ -f "$BENCH_DIR/etcd.pid" ] && stop_pidfile "$BENCH_DIR/etcd.pid"
  ids=$(docker ps -aq --filter "label=orchestrator.cluster=$CLUSTER" || true)
  # shellcheck disable=SC2086  # one argument per id
  if [ -n "$ids" ]; then docker rm -f $ids >/dev/null 2>&1 || true; fi
}

bench_cluster_up() {
  rm -rf "$BENCH_DIR/etcd" "$BENCH_DIR/control-plane"
  mkdir -p "$BENCH_DIR"
  start_etcd "$BENCH_DIR/etcd" 22379 22380 "$BENCH_DIR/etcd.pid" "$BENCH_DIR/etcd.log"
  (cd "$here/artifacts/bin/ControlPlane/release" && start_bg "$BENCH_DIR/cp.pid" "$BENCH_DIR/controlplane.log" \
    dotnet Orchestrator.ControlPlane.dll --urls "$API" --etcd http://127.0.0.1:22379 --cluster-id bench \
    --silo-port 11211 --gateway-port 30100 --data-dir "$BENCH_DIR/control-plane")
  wait_http "$API/readyz" 60 || die "the control plane did not get ready" "$BENCH_DIR/controlplane.log"
  # With credentials, as an operator runs it: orc and http_get send the admin token, the agent joins with a join token.
  ORC_TOKEN="$(cat "$BENCH_DIR/control-plane/admin.token")"
  export ORC_TOKEN
  rm -rf "$BENCH_DIR/agent-state"
  (cd "$here/artifacts/bin/NodeAgent/release" && start_bg "$BENCH_DIR/agent.pid" "$BENCH_DIR/agent.log" \
    dotnet Orchestrator.NodeAgent.dll --api "$API" --node-name bench --cluster "$CLUSTER" --listen https://127.0.0.1:17171 --ca-file "$ORC_CA" \
    --state-dir "$BENCH_DIR/agent-state" --join-token "$(orc node join-token --ttl 10m)")
  for _ in $(seq 1 60); do
    http_get "$API/api/v1/nodes" 2>/dev/null | grep -q '"name":"bench"' && return 0
    sleep 0.5
  done
  die "the agent's node did not register within 30 s" "$BENCH_DIR/agent.log"
}

swarm_init() {
  if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" = active ]; then swarm_was_active=1
gwbridge_existed=1
  else
    docker network inspect docker_gwbridge >/dev/null 2>&1 || gwbridge_existed=0
    swarm_was_active=0; docker swarm init --advertise-addr 127.0.0.1 >/dev/null
  fi
}

orc() { ORC_SERVER="$API" dotnet "$here/artifacts/bin/Cli/release/orc.dll" "$@"; }

now() { date +%s.%N; }
elapsed() { printf '%.2f' "$(echo "$(now) - $1" | bc)"; }
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
ratio() { printf '%.2f' "$(echo "scale=4; $2 / $1" | bc)"; }
# Odd rounds Orchestrator first, even rounds Swarm first: neither always meets a warm (or a tired) engine.
ours_first() { [ $(($1 % 2)) -eq 1 ]; }
timed_out() { die "time-out: $1 (a time-out fails the benchmark; it is not a figure)"; }
