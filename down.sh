#!/usr/bin/env bash
# Stops what ./up.sh started: the node agent, the control plane and etcd (by their pid files in
# .run/pids/: TERM, wait, then KILL).
#
#   ./down.sh           stop the processes; containers, etcd data and logs stay (./up.sh resumes)
#   ./down.sh --purge   also remove the containers and volumes labelled orchestrator.cluster=local (ORC_CLUSTER), the cluster
#                       network (Docker network orc-CLUSTER, routes of protocol 240, the VXLAN device orc-vxlan,
#                       iptables chains ORC-*: the services' too) and .run/ (ORC_RUN_DIR: etcd data, logs, pids);
#                       and stop dockerd if ./up.sh started it
#
# dockerd keeps running otherwise: it may serve more than this cluster.
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

purge=0
for a in "$@"; do
  case "$a" in
    --purge) purge=1 ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$a' (usage: ./down.sh [--purge])" ;;
  esac
done

# stop_component NAME PIDFILE PATTERN TIMEOUT
stop_component() {
  local name="$1" f="$2" pat="$3" t="$4"
  if [ ! -f "$f" ]; then
    log "$name: not running (no pid file)"
  elif pid_alive "$f" "$pat"; then
    log "$name: stopping (pid $(head -n1 "$f"))"
    stop_pidfile "$f" "$t"
  else
    log "$name: not running (stale pid file removed)"
    rm -f "$f"
  fi
}

stop_component agent "$PID_DIR/agent.pid" Orchestrator.NodeAgent.dll 15
stop_component "control plane" "$PID_DIR/controlplane.pid" Orchestrator.ControlPlane.dll 15
stop_component etcd "$PID_DIR/etcd.pid" etcd 15

if [ "$purge" != 1 ]; then
  if pid_alive "$PID_DIR/dockerd.pid" dockerd; then
    log "dockerd (started by ./up.sh) keeps running; ./down.sh --purge stops it"
  fi
  log "containers, etcd data (.run/etcd) and logs (.run/logs) kept; ./down.sh --purge removes them"
  exit 0
fi

CLUSTER="${ORC_CLUSTER:-local}"
if docker info >/dev/null 2>&1; then
  mapfile -t ids < <(docker ps -aq --filter "label=orchestrator.cluster=$CLUSTER")
  if [ "${#ids[@]}" -gt 0 ]; then
    log "removing ${#ids[@]} container(s) labelled orchestrator.cluster=$CLUSTER"
    docker rm -f "${ids[@]}" >/dev/null
  else
    log "no containers labelled orchestrator.cluster=$CLUSTER"
  fi
  # The cluster's volumes (persistent, shared: docs/volumes.md), whatever their reclaimPolicy: --purge removes the data.
  mapfile -t vols < <(docker volume ls -q --filter "label=orchestrator.cluster=$CLUSTER")
  if [ "${#vols[@]}" -gt 0 ]; then
    docker volume rm -f "${vols[@]}" >/dev/null && log "removed ${#vols[@]} volume(s) labelled orchestrator.cluster=$CLUSTER"
  fi
  # The cluster network's bridge (agent --network-mode host-gw; docs/networking.md).
  if docker network inspect "orc-$CLUSTER" >/dev/null 2>&1; then
    docker network rm "orc-$CLUSTER" >/dev/null && log "removed Docker network orc-$CLUSTER"
  fi
else
  warn "no Docker engine answers: containers labelled orchestrator.cluster=$CLUSTER not checked"
fi
# The cluster network's routes (protocol 240) and iptables chains, with the jumps to them.
if command -v ip >/dev/null 2>&1 && [ -n "$(ip -4 route show proto 240 2>/dev/null)" ]; then
  ip -4 route flush proto 240 && log "removed the cluster network's routes (ip route ... proto 240)"
fi
# The VXLAN device of --network-mode vxlan (its neighbour and forwarding entries go with it).
if command -v ip >/dev/null 2>&1 && ip link show orc-vxlan >/dev/null 2>&1; then
  ip link del orc-vxlan && log "removed the VXLAN device orc-vxlan"
fi
if command -v iptables >/dev/null 2>&1; then
  for rule in "nat POSTROUTING ORC-POSTROUTING" "filter FORWARD ORC-FORWARD" "filter FORWARD ORC-NO-ENDPOINTS" "filter OUTPUT ORC-NO-ENDPOINTS" "nat PREROUTING ORC-SERVICES" "nat OUTPUT ORC-SERVICES"; do
    read -r table chain ours <<<"$rule"
    while iptables -t "$table" -D "$chain" -j "$ours" 2>/dev/null; do :; done
    if iptables -t "$table" -F "$ours" 2>/dev/null; then
      iptables -t "$table" -X "$ours" 2>/dev/null && log "removed iptables chain $ours ($table)"
    fi
  done
  # The services' chains (ORC-SVC-*, ORC-SEP-*, ORC-NODEPORTS, ORC-MARK-MASQ) jump to each other: empty all, then delete all.
  svc_chains="$(iptables-save -t nat 2>/dev/null | sed -n 's/^:\(ORC-[A-Z0-9-]*\) .*/\1/p')"
  for c in $svc_chains; do iptables -t nat -F "$c" 2>/dev/null || true; done
  for c in $svc_chains; do iptables -t nat -X "$c" 2>/dev/null && log "removed iptables chain $c (nat)"; done
fi
if pid_alive "$PID_DIR/dockerd.pid" dockerd; then
  log "dockerd: stopping (pid $(head -n1 "$PID_DIR/dockerd.pid"), ./up.sh started it)"
  stop_pidfile "$PID_DIR/dockerd.pid" 30
fi
log "removing ${RUN_DIR#"$ORC_ROOT"/}/ (etcd data, logs, pids)"
rm -rf "$RUN_DIR"
