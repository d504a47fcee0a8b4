#!/usr/bin/env bash
# Checks that every metric name used in a PromQL expression of the dashboard appears on a live /metrics.
#
#   dashboards/check.sh [DASHBOARD.json] [METRICS_URL ...]
#
# Defaults: dashboards/orchestrator.json against the ./up.sh cluster, https://127.0.0.1:7070/metrics (the
# control plane, trusted by the cluster CA in $ORC_CA, default .run/control-plane/ca.crt) and
# https://127.0.0.1:7071/metrics (the agent: its certificate is self-signed, only the control plane pins it). A name counts when some scrape has a sample
# of it (so histograms are checked as their _bucket/_count/_sum series). Exit 0: all found; 1: some
# missing (listed); 2: a scrape failed. Counters that only appear once they first count (restarts,
# scheduling failures) need that to have happened: run dashboards/activity.sh first.
set -euo pipefail
here="$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
dash="${1:-$here/orchestrator.json}"
shift || true
urls=("$@")
[ "${#urls[@]}" -gt 0 ] || urls=(https://127.0.0.1:7070/metrics https://127.0.0.1:7071/metrics)
ca="${ORC_CA:-$here/../.run/control-plane/ca.crt}"

# metric_names: the metric names in PromQL expressions on stdin (one per line). Strings, label matchers,
# range selectors and by/on/... label lists are removed first; what is left that is an identifier not
# followed by '(' (a function or aggregation) and not an operator keyword is a metric name.
metric_names() {
  python3 -c '
import re, sys
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool",
            "offset", "inf", "nan"}
for expr in sys.stdin:
    e = re.sub(r"\"(\\.|[^\"\\])*\"", "\"\"", expr)                     # strings
    e = re.sub(r"\{[^}]*\}", " ", e)                                   # label matchers
    e = re.sub(r"\[[^\]]*\]", " ", e)                                  # range and subquery selectors
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", e)
    for m in re.finditer(r"(?<![\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?", e):
        if not m.group(2) and m.group(1).lower() not in KEYWORDS:
            print(m.group(1))
' | sort -u
}

exprs="$(jq -r '.. | objects | select(has("expr")) | .expr' "$dash")"
[ -n "$exprs" ] || { echo "check: no expressions in $dash" >&2; exit 1; }
names="$(metric_names <<<"$exprs")"

scraped=""
for u in "${urls[@]}"; do
  case "$u" in
    *:7070/*) tls=(--cacert "$ca")   # /metrics needs a viewer token: ORC_TOKEN, else the one render.sh made for Prometheus
      token="${ORC_TOKEN:-$(cat "$here/../.run/prometheus.token" 2>/dev/null || true)}"
      [ -z "$token" ] || tls+=(--header "Authorization: Bearer $token") ;;
    *) tls=(--insecure) ;;   # an agent (self-signed, pinned by the control plane only)
  esac
  body="$(curl -fsS --max-time 10 "${tls[@]}" "$u")" || { echo "check: cannot scrape $u" >&2; exit 2; }
  scraped+="$(grep -v '^#' <<<"$body" | sed -E 's/[{ ].*//')"$'\n'
done
scraped="$(sort -u <<<"$scraped")"

missing=0 n=0
while read -r name; do
  n=$((n + 1))
  if ! grep -qxF -- "$name" <<<"$scraped"; then
    echo "MISSING  $name"
    missing=$((missing + 1))
  fi
done <<<"$names"
echo "check: $(wc -l <<<"$exprs") expressions, $n metric names, $missing missing (scraped: ${urls[*]})"
[ "$missing" -eq 0 ]
