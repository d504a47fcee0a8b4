#!/usr/bin/env bash
# Brings up a one-machine Orchestrator cluster with the demo services from manifests/:
# etcd, one control plane and one node agent on the local Docker engine.
#
#   ./up.sh        (as root on Debian 12 with the .NET 10 SDK; installs the rest)
#
# Safe to run again: what already runs (pid files in .run/pids/) is left alone and not rebuilt, what stopped
# is started again, and the demo is applied only on the cluster's first start (never over what you changed since).
# Logs: .run/logs/, etcd data: .run/etcd/. Stop with ./down.sh (--purge: also containers and data).
# Ports (environment): ORC_API_PORT=7070 ORC_AGENT_PORT=7071 ORC_ETCD_CLIENT_PORT=2379
# ORC_ETCD_PEER_PORT=2380; ORC_NODE_NAME overrides the node's name (default: the host name); ORC_CLUSTER=local
# names the cluster (its containers' orchestrator.cluster label); ORC_RUN_DIR=.run holds data, logs and pids;
# NO_BUILD=1 uses the programs already built; ORC_UP_TIMEOUT=60 seconds for each wait (ready, node registered, demo converged);
# ORC_NETWORK_MODE=host-gw puts replicas on the cluster network (names, virtual IPs, published ports: docs/networking.md),
# "none" leaves them on the engine's default bridge.
# shellcheck disable=SC2119  # lib functions with optional arguments are called without them
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

API_PORT="${ORC_API_PORT:-7070}"
AGENT_PORT="${ORC_AGENT_PORT:-7071}"
ETCD_CLIENT_PORT="${ORC_ETCD_CLIENT_PORT:-2379}"
ETCD_PEER_PORT="${ORC_ETCD_PEER_PORT:-2380}"
API="https://127.0.0.1:$API_PORT"
AGENT_URL="https://127.0.0.1:$AGENT_PORT"
ETCD_URL="http://127.0.0.1:$ETCD_CLIENT_PORT"
WAIT="${ORC_UP_TIMEOUT:-60}"   # seconds for each wait: ready, node registered, demo converged
export ORC_SERVER="$API"   # ./orc talks to this control plane

CP_DLL="artifacts/bin/ControlPlane/release/Orchestrator.ControlPlane.dll"
AGENT_DLL="artifacts/bin/NodeAgent/release/Orchestrator.NodeAgent.dll"
# --data-dir: admin.token (mode 0600) and the cluster CA it creates on first start (ca.key 0600; docs/security.md "TLS")
CP_DATA="$RUN_DIR/control-plane"
export ORC_CA="$CP_DATA/ca.crt"   # ./orc and curl trust the API's certificate by it
AGENT_STATE="$RUN_DIR/agent"         # the agent's node credential (mode 0600)
CP_PID="$PID_DIR/controlplane.pid"
AGENT_PID="$PID_DIR/agent.pid"
ETCD_PID="$PID_DIR/etcd.pid"
CP_LOG="$LOG_DIR/controlplane.log"
AGENT_LOG="$LOG_DIR/agent.log"
ETCD_LOG="$LOG_DIR/etcd.log"
NODE="$(node_name)"
CLUSTER="${ORC_CLUSTER:-local}"
NETWORK_MODE="${ORC_NETWORK_MODE:-host-gw}"
# The demo is applied once per cluster: this key in etcd says it was (it goes with the etcd data, ./down.sh --purge).
DEMO_KEY=/orchestrator/setup/demo-applied

# fail MSG [LOGFILE]: like die, and says how to clean up what did start.
fail() {
  printf 'hint: what did start keeps running; ./down.sh stops it.\n' >&2
  die "$@"
}

# A pid file whose process is gone (or is something else now) is stale: drop it.
running() { # running PIDFILE PATTERN
  if pid_alive "$1" "$2"; then return 0; fi
  rm -f "$1"
  return 1
}

require_free_port() { # require_free_port PORT WHAT ENVVAR
  if port_in_use "$1"; then
    die "something already listens on 127.0.0.1:$1 (wanted for $2) and it is not one this checkout started.
       Stop it (another ./up.sh from another checkout? its ./down.sh), or pick another port: $3=... ./up.sh"
  fi
}

_run_dirs
ensure_packages
ensure_dotnet
ensure_dockerd "$PID_DIR/dockerd.pid"
ensure_images

# ---------------------------------------------------------------- build
if running "$CP_PID" Orchestrator.ControlPlane.dll || running "$AGENT_PID" Orchestrator.NodeAgent.dll; then
  log "build: skipped, the control plane or the agent is running (./down.sh first to pick up code changes)"
elif [ "${NO_BUILD:-}" = 1 ]; then
  log "build: skipped (NO_BUILD=1)"
else
  dotnet_build "$LOG_DIR/build.log" || exit 1
fi
[ -f "$CP_DLL" ] || die "$CP_DLL missing after the build (see $LOG_DIR/build.log)"
[ -f "$AGENT_DLL" ] || die "$AGENT_DLL missing after the build (see $LOG_DIR/build.log)"

# ---------------------------------------------------------------- etcd
if running "$ETCD_PID" etcd; then
  log "etcd: already running (pid $(cat "$ETCD_PID"), $ETCD_URL)"
else
  require_free_port "$ETCD_CLIENT_PORT" "etcd clients" ORC_ETCD_CLIENT_PORT
  require_free_port "$ETCD_PEER_PORT" "etcd peers" ORC_ETCD_PEER_PORT
  log "etcd: starting on $ETCD_URL (data: ${RUN_DIR#"$ORC_ROOT"/}/etcd, log: $ETCD_LOG)"
  start_etcd "$RUN_DIR/etcd" "$ETCD_CLIENT_PORT" "$ETCD_PEER_PORT" "$ETCD_PID" "$ETCD_LOG"
  log "etcd: healthy (pid $(cat "$ETCD_PID"))"
fi

# ---------------------------------------------------------------- control plane
if running "$CP_PID" Orchestrator.ControlPlane.dll; then
  log "control plane: already running (pid $(cat "$CP_PID"), $API)"
else
  require_free_port "$API_PORT" "the control plane" ORC_API_PORT
  log "control plane: starting on 0.0.0.0:$API_PORT (log: $CP_LOG)"
  printf '\n=== %s up.sh starts the control plane\n' "$(date -Is)" >>"$CP_LOG"
  # run from its output folder, so that its content root (appsettings*.json) is where the build put it
  (cd "$(dirname "$CP_DLL")" && start_bg "$CP_PID" "$CP_LOG" dotnet "$ORC_ROOT/$CP_DLL" --urls "https://0.0.0.0:$API_PORT" --etcd "$ETCD_URL" \
    --data-dir "$CP_DATA")
fi
pid="$(cat "$CP_PID")"
if ! wait_http "$API/readyz" "$WAIT" "$pid"; then
  kill -0 "$pid" 2>/dev/null &&
    fail "the control plane did not answer $API/readyz with 200 within ${WAIT}s (last: $(http_status "$API/readyz"))" "$CP_LOG"
  rm -f "$CP_PID"
  fail "the control plane exited while starting" "$CP_LOG"
fi
log "control plane: ready (pid $pid, $API)"
[ -s "$CP_DATA/admin.token" ] || fail "the control plane wrote no admin token into $CP_DATA/admin.token" "$CP_LOG"
ORC_TOKEN="$(cat "$CP_DATA/admin.token")"
export ORC_TOKEN   # ./orc and http_get of this script act as the admin
# ./orc with no flag from now on, in any shell: the server, the admin token and the CA in ~/.orc/config.json (other keys kept).
write_cli_config "$API" "$ORC_TOKEN" "$CP_DATA/admin.token" "$ORC_CA"
log "control plane: admin token in ${CP_DATA#"$ORC_ROOT"/}/admin.token; ~/.orc/config.json points ./orc at $API with it, trusting $ORC_CA"

# ---------------------------------------------------------------- agent
if running "$AGENT_PID" Orchestrator.NodeAgent.dll; then
  log "agent: already running (pid $(cat "$AGENT_PID"), node $NODE)"
else
  require_free_port "$AGENT_PORT" "the node agent" ORC_AGENT_PORT
  log "agent: starting node '$NODE' (listen $AGENT_URL, log: $AGENT_LOG)"
  printf '\n=== %s up.sh starts the agent\n' "$(date -Is)" >>"$AGENT_LOG"
  # As an operator adds a machine: a join token the agent exchanges once for its own credential (kept in its state dir).
  join=()
  if [ ! -s "$AGENT_STATE/node.credential" ]; then
    mkdir -p "$AGENT_STATE" && chmod 700 "$AGENT_STATE"
    (umask 077 && ./orc node join-token --ttl 1h >"$AGENT_STATE/join.token") || fail "could not make a join token for the agent" "$CP_LOG"
    join=(--join-token-file "$AGENT_STATE/join.token")
  fi
  (cd "$(dirname "$AGENT_DLL")" && start_bg "$AGENT_PID" "$AGENT_LOG" dotnet "$ORC_ROOT/$AGENT_DLL" \
    --api "$API" --node-name "$NODE" --cluster "$CLUSTER" --listen "$AGENT_URL" --ca-file "$ORC_CA" --state-dir "$AGENT_STATE" \
    --network-mode "$NETWORK_MODE" "${join[@]}")
fi
pid="$(cat "$AGENT_PID")"
if ! HTTP_AGENT_SELF_SIGNED=1 wait_http "$AGENT_URL/healthz" "$WAIT" "$pid"; then
  kill -0 "$pid" 2>/dev/null &&
    fail "the agent did not answer $AGENT_URL/healthz with 200 within ${WAIT}s (last: $(HTTP_AGENT_SELF_SIGNED=1 http_status "$AGENT_URL/healthz"))" "$AGENT_LOG"
  rm -f "$AGENT_PID"
  fail "the agent exited while starting" "$AGENT_LOG"
fi

# the node must show up in `orc get nodes`
end=$((SECONDS + WAIT)) seen=0
while ((SECONDS < end)); do
  if out="$(./orc get nodes 2>&1)" && grep -qw -- "$NODE" <<<"$out"; then seen=1; break; fi
  kill -0 "$pid" 2>/dev/null || { rm -f "$AGENT_PID"; fail "the agent exited before its node registered" "$AGENT_LOG"; }
  sleep 1
done
if [ "$seen" != 1 ]; then
  printf '%s\n' "${out:-}" >&2
  fail "node '$NODE' did not appear in './orc get nodes' within ${WAIT}s (logs: $AGENT_LOG, $CP_LOG)" "$AGENT_LOG"
fi
log "agent: node '$NODE' registered (pid $pid)"

# ---------------------------------------------------------------- demo
# services_converged: 0 when every service runs as many replicas as it asks for.
services_converged() {
  local out rc=0 body statuses st d r n=0
  if out="$(./orc get services 2>/dev/null)"; then
    awk 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "DESIRED") d = i; if ($i == "RUNNING") r = i } next }
         NF { n++; if ($d != $r) bad++ }
         END { if (!d || !r) exit 3; if (n == 0) exit 2; exit (bad ? 1 : 0) }' <<<"$out" || rc=$?
    [ "$rc" -ne 3 ] && return "$rc"
  fi
  # table not readable: ask the API (ServiceView[]: {"service":{...},"status":{"desired":N,"running":N,...}})
  body="$(http_get "$API/api/v1/services" 2>/dev/null | tr -d ' \t\r\n')" || return 1
  statuses="$(grep -o '"status":{[^}]*}' <<<"$body" || true)"
  [ -n "$statuses" ] || return 2
  while read -r st; do
    d="$(sed -n 's/.*"desired":\([0-9]*\).*/\1/p' <<<"$st")"
    r="$(sed -n 's/.*"running":\([0-9]*\).*/\1/p' <<<"$st")"
    [ "${d:-0}" = "${r:-0}" ] || return 1
    n=$((n + 1))
  done <<<"$statuses"
  return 0
}

demo_ok=1
shopt -s nullglob
manifests=(manifests/*.yaml manifests/*.yml)
shopt -u nullglob
etcdctl_up() { ETCDCTL_API=3 etcdctl --endpoints "$ETCD_URL" --command-timeout=5s "$@"; }
demo_applied="$(etcdctl_up get --print-value-only "$DEMO_KEY" 2>/dev/null)" ||
  fail "cannot read $DEMO_KEY from etcd at $ETCD_URL" "$ETCD_LOG"
# A cluster that has services but no such key was started by an older ./up.sh: its demo was applied then.
if [ -z "$demo_applied" ] && [ -n "$(etcdctl_up get --prefix --keys-only --limit 1 /orchestrator/services/ 2>/dev/null)" ]; then
  demo_applied="before this key existed"
  etcdctl_up put "$DEMO_KEY" "$demo_applied" >/dev/null || true
fi
if [ "${#manifests[@]}" -eq 0 ]; then
  warn "no manifests/*.yaml: no demo applied"
elif [ -n "$demo_applied" ]; then
  log "demo: applied on this cluster's first start ($demo_applied); not applied again over what may have changed since"
  log "     (./orc apply -f manifests/ puts it back as written)"
else
  log "demo: ./orc apply -f manifests/"
  ./orc apply -f manifests/ || fail "'./orc apply -f manifests/' failed (control plane log: $CP_LOG)" "$CP_LOG"
  etcdctl_up put "$DEMO_KEY" "$(date -Is)" >/dev/null || warn "could not record in etcd that the demo was applied"
  end=$((SECONDS + WAIT)) converged=0
  while ((SECONDS < end)); do
    if services_converged; then converged=1; break; fi
    sleep 1
  done
  if [ "$converged" = 1 ]; then
    log "demo: every service runs its desired replicas"
  else
    demo_ok=0
    ./orc get services >&2 || true
    warn "the demo did not reach RUNNING == DESIRED within ${WAIT}s; see './orc describe service NAME', $AGENT_LOG and $CP_LOG"
  fi
fi

# ---------------------------------------------------------------- what now
echo
echo "Orchestrator is up: one machine, node '$NODE'."
echo "  API            $API  (HTTPS on 0.0.0.0:$API_PORT; ./orc uses it by default: ~/.orc/config.json)"
echo "  cluster CA     ${ORC_CA#"$ORC_ROOT"/}  (curl --cacert it; the key beside it is 0600)"
echo "  status page    $API/ui  (Orleans dashboard: $API/orleans-dashboard/; docs/ui.md)"
echo "  etcd           $ETCD_URL  (data in .run/etcd)"
echo "  logs           .run/logs/{controlplane,agent,etcd}.log, pids in .run/pids/"
echo
echo "\$ ./orc get replicas"
replicas="$(./orc get replicas 2>&1 || true)"
printf '%s\n' "$replicas"
echo
port="$(awk '$2 == "web"' <<<"$replicas" | grep -oE '[0-9]+->8080' | head -n1 | cut -d- -f1 || true)"
if [ -n "$port" ]; then
  page="$(http_get "http://127.0.0.1:$port/" 2>/dev/null | head -n1 || true)"
  echo "The web page (service web; the PORTS column above shows each replica's host port):"
  echo "  curl http://127.0.0.1:$port/${page:+     -> $page}"
else
  echo "The web page: the PORTS column above shows each web replica's host port (HOSTPORT->8080):"
  echo "  curl http://127.0.0.1:HOSTPORT/"
fi
cat <<EOF

A short tour (put orc on PATH with: ln -s "$ORC_ROOT/orc" /usr/local/bin/orc):
  ./orc get services                        desired and running replicas per service
  ./orc get nodes                           the machines and their state
  ./orc get replicas                        every replica, its node, container and ports
  ./orc describe service web                spec, replicas, placement reasons and events
  ./orc scale service web --replicas 6      more replicas (watch ./orc get replicas)
  ./orc delete service web                  remove one service and its containers
  ./orc apply -f manifests/                 apply a file or folder again (unchanged = no-op)
  ./orc delete -f manifests/                delete what the manifests define

Stop everything: ./down.sh      (./down.sh --purge also removes the containers, the volumes and .run/)
EOF
if [ "$demo_ok" != 1 ]; then
  echo "up.sh: the cluster is up but the demo did not converge (see above)" >&2
  exit 1
fi
