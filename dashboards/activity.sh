#!/usr/bin/env bash
# Drives some activity on the ./up.sh demo cluster so that every dashboard panel has something to show:
# scale web up and down, an unschedulable service (pending replicas, scheduling failures), a rollout
# (local/web:1 <-> local/web:2), a `docker kill` (a restart), and steady API reads. Takes about 4 minutes.
#
#   dashboards/activity.sh        (from anywhere; uses ../orc and the cluster at $ORC_SERVER or :7070)
set -euo pipefail
cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.."
orc=./orc
tmp="$(mktemp -d)"
trap 'kill "${reader:-0}" 2>/dev/null || true; rm -rf "$tmp"' EXIT

step() { printf '%s activity: %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# kill_one SERVICE: docker kill one running container of the service (its agent restarts it)
kill_one() {
  local id
  id="$(docker ps -q --filter label=orchestrator.cluster=local --filter "label=orchestrator.service=$1" | head -n1)"
  [ -n "$id" ] || { step "no running $1 container to kill"; return 0; }
  step "docker kill $id ($1)"
  docker kill "$id" >/dev/null
}

# API traffic: what a user or a script polling the cluster does
( while true; do $orc get services >/dev/null 2>&1; $orc get replicas >/dev/null 2>&1; sleep 2; done ) &
reader=$!

step "baseline"; sleep 30
step "scale web to 6"; $orc scale service web --replicas 6; sleep 40

step "apply service 'huge' asking for 64 cpu: no node fits (pending, scheduling failures)"
cat >"$tmp/huge.yaml" <<'YAML'
apiVersion: orchestrator/v1
kind: Service
metadata: {name: huge}
spec:
  image: local/busybox:1
  command: [sh, -c, 'sleep 3600']
  replicas: 1
  resources: {cpu: "64", memory: 16Mi}
YAML
$orc apply -f "$tmp/huge.yaml"; sleep 30
step "delete service huge"; $orc delete service huge; sleep 10

step "scale web to 2"; $orc scale service web --replicas 2; sleep 30

# a rollout: to local/web:2, or back to local/web:1 when an earlier run left web on 2
image=local/web:2
[ "$($orc get services | awk '$2 == "web" { print $3 }')" = local/web:2 ] && image=local/web:1
step "roll web out to $image"
sed -e "s|image: local/web:1|image: $image|" -e 's|replicas: 3|replicas: 2|' manifests/web.yaml >"$tmp/web.yaml"
$orc apply -f "$tmp/web.yaml"; sleep 45

kill_one web; sleep 15
kill_one worker; sleep 30
step "done"
