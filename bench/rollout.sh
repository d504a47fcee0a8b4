#!/usr/bin/env bash
# Rolling-update benchmark: Orchestrator beside Docker Swarm, on the same engine, in the same run.
#
#   bench/rollout.sh             6 replicas, 3 rounds
#   ROUNDS=5 bench/rollout.sh
#
# For each system and round, a service of 6 replicas of local/web:1 (readiness: HTTP GET :8080 every 1 s, 3 failures;
# Swarm: the same as a container HEALTHCHECK, which is what Swarm gates an update on) is updated
#   1. to local/web:2, one replica at a time, start-first (ours: maxSurge 1, maxUnavailable 0, order start-first;
#      Swarm: --update-parallelism 1 --update-order start-first --update-delay 0s), then
#   2. to the broken local/web:3 (serves on 8081), which must fail and roll back (ours: onFailure rollback;
#      Swarm: --update-failure-action rollback --update-monitor 5s, rollback one at a time start-first).
# One poll, every 100 ms, the same for both: `docker ps -a` of the service's containers (image, state, health) and
# the system's own view (ours: GET /api/v1/namespaces/default/services/NAME, its rollout phase and each replica's
# ready; Swarm: `docker service inspect`, UpdateStatus.State; ready = the engine's "(healthy)").
#   converged: 6 running v2 containers, all ready/healthy, no other one running or created (2.: after a v3 one ran)
#   reported:  the system says so (ours: phase complete / rollingBack..rolledBack; Swarm: completed / rollback_*)
# Fair turns: the order alternates (odd rounds Orchestrator first, even rounds Swarm first); during Swarm's turn our
# cluster (etcd, control plane, agent) is stopped, and started afresh before ours; Swarm never resolves the image
# (--no-resolve-image). A time-out (300 s), or a rollout that ends otherwise than asked (paused, failed without
# rolling back), fails the benchmark: it is never a figure in a median.
# Prints a table per round, then medians and the ratio Swarm/Orchestrator (above 1: Orchestrator was faster).
set -euo pipefail
SWARM_SERVICE=bench-rollout
# shellcheck source=bench/lib.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lib.sh"

ROUNDS="${ROUNDS:-3}"
N=6
NAME=bench-rollout
V1=local/web:1 V2=local/web:2 V3=local/web:3
POLL=0.1
TIMEOUT=300

trap bench_cleanup EXIT
bench_prepare
command -v jq >/dev/null 2>&1 || die "jq is needed to read the API's answers (apt-get install jq)"
docker run --rm --entrypoint /bin/sh "$V1" -c 'command -v wget' >/dev/null 2>&1 ||
  die "$V1 has no wget: Swarm's health check needs it (images/busybox/applets)"

manifest() { # manifest IMAGE -> the path of our service's manifest for IMAGE
  local f="$BENCH_DIR/rollout-${1##*:}.yaml"
  cat >"$f" <<YAML
apiVersion: orchestrator/v1
kind: Service
metadata: {name: $NAME}
spec:
  image: $1
  replicas: $N
  readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1, timeoutSeconds: 1, failureThreshold: 3}
  updateStrategy: {maxSurge: 1, maxUnavailable: 0, order: start-first, minReadySeconds: 0, onFailure: rollback}
YAML
  echo "$f"
}
SWARM_HEALTH=(--health-cmd 'wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1' --health-interval 1s
  --health-timeout 1s --health-retries 3 --health-start-period 0s)
SWARM_UPDATE=(--update-parallelism 1 --update-order start-first --update-delay 0s)
SWARM_ROLLBACK=(--update-failure-action rollback --update-monitor 5s
  --rollback-parallelism 1 --rollback-order start-first --rollback-delay 0s --rollback-monitor 5s)

# observe SYSTEM GOOD WATCH -> "good_running good_ready other_live watch_running watch_any total_running phase token"
#   good_ready: ours, the API's ready replicas of image GOOD that are not terminating; swarm, "(healthy)" containers
#   other_live: containers of other images that run or are about to (created, restarting); watch_running /
#   watch_any: containers of image WATCH that run / in any state; phase: the rollout's phase / Swarm's UpdateStatus.State;
#   token: which rollout the phase is of (ours: its revision; swarm: UpdateStatus.StartedAt), to tell a stale one
observe() {
  local sys="$1" good="$2" watch="$3" label ready phase token
  if [ "$sys" = ours ]; then
    label="orchestrator.service=$NAME"
    read -r ready phase token < <(http_get "$API/api/v1/namespaces/default/services/$NAME" 2>/dev/null |
      jq -r --arg img "$good" '[([.replicas[]? | select(.replica.container.image == $img
        and (.replica.terminating // false | not) and (.status.ready // false))] | length),
        (.rollout.phase // "-"), (.rollout.revision // "-")] | @tsv' 2>/dev/null || true)
    ready="${ready:-0}"
  else
    label="com.docker.swarm.service.name=$SWARM_SERVICE"
    ready=-1
    read -r phase token < <(docker service inspect "$SWARM_SERVICE" -f '{{if .UpdateStatus}}{{.UpdateStatus.State}}
      {{- if .UpdateStatus.StartedAt}} {{.UpdateStatus.StartedAt.UnixNano}}{{end}}{{end}}' 2>/dev/null || true)
  fi
  docker ps -a --filter "label=$label" --format '{{.Image}}|{{.State}}|{{.Status}}' |
    awk -F'|' -v good="$good" -v watch="$watch" -v ready="$ready" -v phase="${phase:--}" -v token="${token:--}" '
      { sub(/@.*/, "", $1); run = ($2 == "running"); total += run
        if ($1 == watch) { wany++; wrun += run }
        if ($1 == good) { gr += run; if (run && $3 ~ /\(healthy\)/) gh++ }
        else if ($2 == "running" || $2 == "created" || $2 == "restarting") other++ }
      END { printf "%d %d %d %d %d %d %s %s\n", gr, (ready >= 0 ? ready : gh), other, wrun, wany, total, phase, token }'
}
token_of() { observe "$1" - - | awk '{print $8}'; }

# watch_rollout SYSTEM GOOD WATCH START BASE DONE_RE FAIL_RE STOP_RE
#   polls observe until converged and the phase matched DONE_RE, or it matched STOP_RE, or TIMEOUT s; sets t_conv
#   (converged), t_done (phase matched DONE_RE), t_fail (phase first matched FAIL_RE) ("-" for what did not happen)
#   and max_run. A phase whose token is BASE (the rollout before the command) does not count. Converged needs a
#   WATCH container seen running first, when WATCH is not "-".
watch_rollout() {
  local sys="$1" good="$2" watch="$3" start="$4" base="$5" done_re="$6" fail_re="$7" stop_re="$8"
  local gr ready other wrun total phase token t seen_watch=0
  t_conv=-; t_done=-; t_fail=-; max_run=0
  [ "$watch" = - ] && seen_watch=1
  while :; do
    read -r gr ready other wrun _ total phase token < <(observe "$sys" "$good" "$watch")
    t=$(elapsed "$start")
    [ "$token" = "$base" ] && phase=stale
    (( total > max_run )) && max_run=$total
    (( wrun > 0 )) && seen_watch=1
    [ "$t_fail" = - ] && [[ "$phase" =~ $fail_re ]] && t_fail=$t
    [ "$t_done" = - ] && [[ "$phase" =~ $done_re ]] && t_done=$t
    [ "$t_conv" = - ] && (( seen_watch && gr == N && ready == N && other == 0 )) && t_conv=$t
    [ "$t_conv" != - ] && [ "$t_done" != - ] && return 0
    [[ "$phase" =~ $stop_re ]] && die "$sys: the rollout ended as $phase ($gr of $N $good running, $ready ready): the benchmark failed"
    (( $(echo "$t > $TIMEOUT" | bc) )) && timed_out "$sys: no convergence within $TIMEOUT s ($gr $ready $other $wrun $phase)"
    sleep "$POLL"
  done
}

# settle SYSTEM IMAGE: wait (untimed) for N ready replicas of IMAGE and nothing else running
settle() {
  local gr ready other phase
  for _ in $(seq 1 600); do
    read -r gr ready other _ _ _ phase _ < <(observe "$1" "$2" -)
    (( gr == N && ready == N && other == 0 )) && return 0
    sleep 0.2
  done
  die "$1: $N ready replicas of $2 did not come up (running $gr, ready $ready, others $other, phase $phase)"
}
# v3_left SYSTEM: the service's containers of the broken image still in the engine, in any state
v3_left() { observe "$1" - "$V3" | awk '{print $5}'; }
gone() {
  for _ in $(seq 1 600); do [ -z "$(docker ps -aq --filter "label=$1")" ] && return; sleep 0.2; done
  timed_out "containers with $1 still there 120 s after the delete"
}

OURS_FAILED='^(failed|rollingBack|rolledBack)$'  # the API's RolloutPhase, camelCase
SWARM_FAILED='^(paused|rollback_)'
swarm_init

declare -A R  # R[sys.metric] = "v1 v2 ..." over the rounds
add() { R[$1]="${R[$1]:-} $2"; }
row() { printf '  %-42s %14s %14s\n' "$@"; }
last() { local a; read -r -a a <<<"${R[$1]}"; echo "${a[-1]}"; }
turn_ours() {
  local round="$1" f2 f3 base t rc msg
  log "round $round: Orchestrator (a fresh cluster)"
  bench_cluster_up
  orc apply -f "$(manifest "$V1")" >/dev/null
  settle ours "$V1"
  f2=$(manifest "$V2"); f3=$(manifest "$V3")
  base=$(token_of ours); t=$(now); orc apply -f "$f2" >/dev/null; add ours.up_cmd "$(elapsed "$t")"
  watch_rollout ours "$V2" - "$t" "$base" '^complete$' "$OURS_FAILED" "$OURS_FAILED"
  add ours.up "$t_conv"; add ours.up_done "$t_done"; add ours.up_max "$max_run"
  base=$(token_of ours); t=$(now); orc apply -f "$f3" >/dev/null; add ours.rb_cmd "$(elapsed "$t")"
  watch_rollout ours "$V2" "$V3" "$t" "$base" '^rolledBack$' "$OURS_FAILED" '^failed$'
  add ours.rb "$t_conv"; add ours.rb_fail "$t_fail"; add ours.rb_done "$t_done"; add ours.rb_left "$(v3_left ours)"
  rc=0; msg=$(orc rollout status "$NAME" --timeout 00:00:10 2>&1) || rc=$?
  ours_report="exit $rc: $(paste -sd' ' <<<"$msg" | tr -s ' ' | cut -c1-320)"
  orc delete service "$NAME" >/dev/null; gone "orchestrator.service=$NAME"
  # nothing of ours runs during Swarm's turn
  bench_cluster_down
}

turn_swarm() {
  local round="$1" base t
  log "round $round: Docker Swarm"
  docker service create --detach --quiet --no-resolve-image --name "$SWARM_SERVICE" --replicas "$N" \
    "${SWARM_HEALTH[@]}" "${SWARM_UPDATE[@]}" "${SWARM_ROLLBACK[@]}" "$V1" >/dev/null
  settle swarm "$V1"
  base=$(token_of swarm); t=$(now)
  docker service update --detach --quiet --no-resolve-image --image "$V2" "${SWARM_UPDATE[@]}" "$SWARM_SERVICE" >/dev/null
  add swarm.up_cmd "$(elapsed "$t")"
  watch_rollout swarm "$V2" - "$t" "$base" '^completed$' "$SWARM_FAILED" "$SWARM_FAILED"
  add swarm.up "$t_conv"; add swarm.up_done "$t_done"; add swarm.up_max "$max_run"
  base=$(token_of swarm); t=$(now)
  docker service update --detach --quiet --no-resolve-image --image "$V3" "${SWARM_ROLLBACK[@]}" "$SWARM_SERVICE" >/dev/null
  add swarm.rb_cmd "$(elapsed "$t")"
  watch_rollout swarm "$V2" "$V3" "$t" "$base" '^rollback_completed$' "$SWARM_FAILED" '^(paused|rollback_paused)$'
  add swarm.rb "$t_conv"; add swarm.rb_fail "$t_fail"; add swarm.rb_done "$t_done"; add swarm.rb_left "$(v3_left swarm)"
  swarm_report=$(docker service inspect -f '{{.UpdateStatus.State}}: {{.UpdateStatus.Message}}' "$SWARM_SERVICE" | cut -c1-220)
  docker service rm "$SWARM_SERVICE" >/dev/null; gone "com.docker.swarm.service.name=$SWARM_SERVICE"
}

for round in $(seq 1 "$ROUNDS"); do
  if ours_first "$round"; then turn_ours "$round"; turn_swarm "$round"
  else turn_swarm "$round"; turn_ours "$round"; fi

  echo
  echo "Round $round of $ROUNDS (seconds from the update command):"
  row "" "Orchestrator" "Swarm"
  row "v1 -> v2: update command returned" "$(last ours.up_cmd)" "$(last swarm.up_cmd)"
  row "v1 -> v2: 6 ready v2, no v1 running" "$(last ours.up)" "$(last swarm.up)"
  row "v1 -> v2: reported complete" "$(last ours.up_done)" "$(last swarm.up_done)"
  row "v1 -> v2: most containers running at once" "$(last ours.up_max)" "$(last swarm.up_max)"
  row "v2 -> v3: update command returned" "$(last ours.rb_cmd)" "$(last swarm.rb_cmd)"
  row "v2 -> v3: failure reported" "$(last ours.rb_fail)" "$(last swarm.rb_fail)"
  row "v2 -> v3: back to 6 ready v2, no v3 running" "$(last ours.rb)" "$(last swarm.rb)"
  row "v2 -> v3: reported rolled back" "$(last ours.rb_done)" "$(last swarm.rb_done)"
  row "v2 -> v3: v3 containers left (any state)" "$(last ours.rb_left)" "$(last swarm.rb_left)"
  echo "  ours:  orc rollout status -> $ours_report"
  echo "  swarm: UpdateStatus -> $swarm_report"
  echo
done

summary() { # summary LABEL METRIC
  local o s r
  # shellcheck disable=SC2086  # one argument per round
  o=$(median ${R[ours.$2]})
  # shellcheck disable=SC2086
  s=$(median ${R[swarm.$2]})
  if [[ "$o" =~ ^[0-9.]+$ && "$s" =~ ^[0-9.]+$ ]] && [ "$(echo "$o > 0" | bc)" = 1 ]; then r="$(ratio "$o" "$s")x"; else r=-; fi
  printf '  %-42s %11ss %11ss %8s\n' "$1" "$o" "$s" "$r"
}
echo "Rolling update of $N replicas on this engine ($(docker info --format '{{.ServerVersion}}'), $(nproc) cores), median of $ROUNDS rounds:"
printf '  %-42s %12s %12s %8s\n' "" "Orchestrator" "Swarm" "ratio"
summary "v1 -> v2: update command returned" up_cmd
summary "v1 -> v2: 6 ready v2, no v1 running" up
summary "v1 -> v2: reported complete" up_done
summary "v2 -> v3: update command returned" rb_cmd
summary "v2 -> v3: failure reported" rb_fail
summary "v2 -> v3: back to 6 ready v2, no v3 running" rb
summary "v2 -> v3: reported rolled back" rb_done
for m in up_cmd up up_done up_max rb_cmd rb_fail rb rb_done rb_left; do
  echo "  rounds $m: ours${R[ours.$m]} | swarm${R[swarm.$m]}"
done
echo "  ratio = Swarm time / Orchestrator time (above 1: Orchestrator was faster)"
echo "  turns alternate (odd rounds Orchestrator first); ours stopped during Swarm's; every round converged in time"
