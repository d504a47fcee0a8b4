#!/usr/bin/env bash
# Renders docs/dashboard.png: every panel of dashboards/orchestrator.json, its queries run through Prometheus
# (/api/v1/query_range) by render.py, drawn as a static HTML page and screenshot with headless Chromium.
# Not a Grafana screenshot: a picture of what the dashboard's queries return on a live cluster.
#
#   ./up.sh && dashboards/render.sh [--activity] [--range 15m] [--out docs/dashboard.png]
#
# Prometheus: the one at $PROM_URL (default http://127.0.0.1:9090) if it answers; else this script starts one
# (dashboards/prometheus.yml, a temporary data folder) and stops it at the end, and then --activity is implied.
# --activity: run dashboards/activity.sh (about 4 minutes of scaling, a rollout, an unschedulable service and a
# docker kill) before rendering. Needs python3, curl, jq, prometheus and chromium.
set -euo pipefail
here="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
root="$(dirname "$here")"
PROM_URL="${PROM_URL:-http://127.0.0.1:9090}"
API="${ORC_SERVER:-https://127.0.0.1:7070}"
export CURL_CA_BUNDLE="${ORC_CA:-$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.run/control-plane/ca.crt}"
CHROMIUM="${CHROMIUM:-chromium}"
activity=0 range="" out="$root/docs/dashboard.png"
while [ $# -gt 0 ]; do
  case "$1" in
    --activity) activity=1 ;;
    --range) range="$2"; shift ;;
    --out) out="$2"; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "render: unknown argument '$1'" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '==> %s\n' "$*"; }
tmp="$(mktemp -d)"
prom_pid=""
cleanup() {
  if [ -n "$prom_pid" ]; then
    kill "$prom_pid" 2>/dev/null || true
    wait "$prom_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

curl -fsS --max-time 5 "$API/readyz" >/dev/null || { echo "render: no control plane at $API (./up.sh first)" >&2; exit 1; }

# dashboards/prometheus.yml scrapes the control plane with a viewer token from this file.
if [ ! -s "$here/../.run/prometheus.token" ]; then
  (umask 077 && "$here/../orc" token create --role viewer >"$here/../.run/prometheus.token") ||
    { echo "render: could not create a viewer token for Prometheus (does ./orc work? ./up.sh writes its config)" >&2; exit 1; }
fi
if curl -fsS --max-time 5 "$PROM_URL/-/ready" >/dev/null 2>&1; then
  log "Prometheus: using $PROM_URL"
else
  log "Prometheus: starting one on ${PROM_URL#http://} (config dashboards/prometheus.yml, data in $tmp/prom)"
  prometheus --config.file="$here/prometheus.yml" --storage.tsdb.path="$tmp/prom" \
    --web.listen-address="${PROM_URL#http://}" >"$tmp/prometheus.log" 2>&1 &
  prom_pid=$!
  prom_started="$(date +%s)"
  for _ in $(seq 30); do curl -fsS "$PROM_URL/-/ready" >/dev/null 2>&1 && break; sleep 1; done
  curl -fsS "$PROM_URL/-/ready" >/dev/null || { cat "$tmp/prometheus.log" >&2; exit 1; }
  activity=1
fi

if [ "$activity" = 1 ]; then
  log "activity: dashboards/activity.sh (about 4 minutes)"
  "$here/activity.sh"
  sleep 15   # a last scrape or two after the final step
fi

# a Prometheus started here has data since it started: the range is that, unless --range says otherwise
[ -n "${prom_started:-}" ] && range="${range:-$(($(date +%s) - prom_started))s}"

log "check: every metric in the dashboard is on /metrics"
"$here/check.sh" "$here/orchestrator.json"

log "render: query_range for every panel (range ${range:-15m})"
height="$(python3 "$here/render.py" --dashboard "$here/orchestrator.json" --prometheus "$PROM_URL" \
  --range "${range:-15m}" --out "$tmp/dashboard.html")"

log "screenshot: $CHROMIUM, 1600x$height -> ${out#"$root"/}"
mkdir -p "$(dirname "$out")"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$tmp/chromium" --hide-scrollbars \
  --window-size="1600,$height" --screenshot="$out" "file://$tmp/dashboard.html" >"$tmp/chromium.log" 2>&1 ||
  { cat "$tmp/chromium.log" >&2; exit 1; }
[ -s "$out" ] || { echo "render: no screenshot written" >&2; cat "$tmp/chromium.log" >&2; exit 1; }
log "wrote $out"
