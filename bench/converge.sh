#!/usr/bin/env bash
# Convergence benchmark: Orchestrator beside Docker Swarm, on the same engine, in the same run.
#
#   bench/converge.sh            N=20 replicas, scale to 60, 3 rounds each
#   N=40 SCALE_TO=80 ROUNDS=5 bench/converge.sh
#
# For each system and round: the time from the command (orc apply / docker service create) until N containers
# of the service run in the engine, then from the scale command until SCALE_TO run. Both are measured by the same
# poll of `docker ps` (every 100 ms), so the clock is the engine's truth for both. Fair turns: the order alternates
# (odd rounds Orchestrator first, even rounds Swarm first); during Swarm's turn our cluster (etcd, control plane,
# agent) is stopped, and started afresh before ours; Swarm creates with --no-resolve-image (no registry lookup,
# as ours makes none). A time-out (300 s) fails the benchmark. Prints medians and the ratio swarm/orchestrator
# (above 1 means Orchestrator converged faster). Swarm's manager stays part of the engine during our turn (idle,
# no service). A second table splits each figure in two: how long the command itself took (process start to exit:
# for ours a fresh .NET process and its TLS handshake, for Swarm the docker client) and the rest, from the command's
# exit until the containers run (the cluster's own work). The first table is the one to quote; the second says where
# its time went.
set -euo pipefail
# shellcheck source=bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

N="${N:-20}"
SCALE_TO="${SCALE_TO:-60}"
ROUNDS="${ROUNDS:-3}"
IMAGE=local/busybox:1

trap bench_cleanup EXIT
bench_prepare

count_ours()  { docker ps -q --filter "label=orchestrator.cluster=$CLUSTER" --filter status=running | wc -l; }
count_all_ours() { docker ps -aq --filter "label=orchestrator.cluster=$CLUSTER" | wc -l; }
count_swarm() { docker ps -q --filter "label=com.docker.swarm.service.name=$SWARM_SERVICE" --filter status=running | wc -l; }
count_all_swarm() { docker ps -aq --filter "label=com.docker.swarm.service.name=$SWARM_SERVICE" | wc -l; }

# until_count FN WANT START WHAT -> prints seconds since START when FN reports WANT; a time-out (300 s) fails the run
until_count() {
  local fn="$1" want="$2" start="$3" what="$4"
  while [ "$($fn)" -lt "$want" ]; do
    if (( $(echo "$(now) - $start > 300" | bc) )); then timed_out "$what: $($fn) of $want running after 300 s"; fi
    sleep 0.1
  done
  printf '%.2f' "$(echo "$(now) - $start" | bc)"
}
until_zero() {
  local fn="$1"
  for _ in $(seq 1 600); do [ "$($fn)" -eq 0 ] && return; sleep 0.2; done
  timed_out "$fn: containers still there 120 s after the delete"
}

manifest="$BENCH_DIR/bench.yaml"
cat >"$manifest" <<YAML
apiVersion: orchestrator/v1
kind: Service
metadata: {name: bench}
spec:
  image: $IMAGE
  command: ["sleep", "3600"]
  replicas: $N
YAML

swarm_init

ours_up=(); ours_scale=(); swarm_up=(); swarm_scale=()
# how long each command took until it exited (part of the figure above, not added to it)
ours_up_cmd=(); ours_scale_cmd=(); swarm_up_cmd=(); swarm_scale_cmd=()
# A time-out dies inside until_count's $(...): the assignment fails and set -e ends the run (EXIT trap cleans up).
turn_ours() {
  local round="$1" t
  log "round $round: Orchestrator (a fresh cluster)"
  bench_cluster_up
  t=$(now); orc apply -f "$manifest" >/dev/null; ours_up_cmd+=("$(elapsed "$t")")
  ours_up+=("$(until_count count_ours "$N" "$t" "Orchestrator round $round, 0 -> $N")")
  t=$(now); orc scale service bench --replicas "$SCALE_TO" >/dev/null; ours_scale_cmd+=("$(elapsed "$t")")
  ours_scale+=("$(until_count count_ours "$SCALE_TO" "$t" "Orchestrator round $round, $N -> $SCALE_TO")")
  orc delete service bench >/dev/null; until_zero count_all_ours
  # nothing of ours runs during Swarm's turn
  bench_cluster_down
}
turn_swarm() {
  local round="$1" t
  log "round $round: Docker Swarm"
  t=$(now)
  docker service create --detach --quiet --no-resolve-image --name "$SWARM_SERVICE" --replicas "$N" "$IMAGE" sleep 3600 >/dev/null
  swarm_up_cmd+=("$(elapsed "$t")")
  swarm_up+=("$(until_count count_swarm "$N" "$t" "Swarm round $round, 0 -> $N")")
  t=$(now); docker service scale --detach "$SWARM_SERVICE=$SCALE_TO" >/dev/null; swarm_scale_cmd+=("$(elapsed "$t")")
  swarm_scale+=("$(until_count count_swarm "$SCALE_TO" "$t" "Swarm round $round, $N -> $SCALE_TO")")
  docker service rm "$SWARM_SERVICE" >/dev/null; until_zero count_all_swarm
}
for round in $(seq 1 "$ROUNDS"); do
  if ours_first "$round"; then turn_ours "$round"; turn_swarm "$round"
  else turn_swarm "$round"; turn_ours "$round"; fi
  log "round $round: ours ${ours_up[-1]} s / ${ours_scale[-1]} s, swarm ${swarm_up[-1]} s / ${swarm_scale[-1]} s"
done

mo_up=$(median "${ours_up[@]}"); mo_sc=$(median "${ours_scale[@]}")
ms_up=$(median "${swarm_up[@]}"); ms_sc=$(median "${swarm_scale[@]}")
echo
echo "Convergence on this engine ($(docker info --format '{{.ServerVersion}}'), $(nproc) cores), median of $ROUNDS rounds:"
printf '  %-32s %12s %12s %8s\n' "" "Orchestrator" "Swarm" "ratio"
printf '  %-32s %11ss %11ss %7sx\n' "0 -> $N running" "$mo_up" "$ms_up" "$(ratio "$mo_up" "$ms_up")"
printf '  %-32s %11ss %11ss %7sx\n' "$N -> $SCALE_TO running (scale)" "$mo_sc" "$ms_sc" "$(ratio "$mo_sc" "$ms_sc")"
echo "  rounds: ours up ${ours_up[*]}; scale ${ours_scale[*]} | swarm up ${swarm_up[*]}; scale ${swarm_scale[*]}"
echo "  ratio = Swarm time / Orchestrator time (above 1: Orchestrator converged faster)"
# after_command TOTALS... -- COMMANDS...: per round, the total less the command's own time
after_command() {
  local -a totals=() cmds=() out=(); local i
  while [ "$1" != -- ]; do totals+=("$1"); shift; done; shift; cmds=("$@")
  for i in "${!totals[@]}"; do out+=("$(printf '%.2f' "$(echo "${totals[$i]} - ${cmds[$i]}" | bc)")"); done
  median "${out[@]}"
}
echo "  where the time went (medians): the command itself / from its exit until the containers run"
printf '  %-32s %12s %12s\n' "" "Orchestrator" "Swarm"
printf '  %-32s %5ss/%5ss %5ss/%5ss\n' "0 -> $N running" "$(median "${ours_up_cmd[@]}")" \
  "$(after_command "${ours_up[@]}" -- "${ours_up_cmd[@]}")" "$(median "${swarm_up_cmd[@]}")" "$(after_command "${swarm_up[@]}" -- "${swarm_up_cmd[@]}")"
printf '  %-32s %5ss/%5ss %5ss/%5ss\n' "$N -> $SCALE_TO running (scale)" "$(median "${ours_scale_cmd[@]}")" \
  "$(after_command "${ours_scale[@]}" -- "${ours_scale_cmd[@]}")" "$(median "${swarm_scale_cmd[@]}")" "$(after_command "${swarm_scale[@]}" -- "${swarm_scale_cmd[@]}")"
echo "  commands: ours up ${ours_up_cmd[*]}; scale ${ours_scale_cmd[*]} | swarm up ${swarm_up_cmd[*]}; scale ${swarm_scale_cmd[*]}"
echo "  turns alternate (odd rounds Orchestrator first); ours stopped during Swarm's; no time-out in any round"
