#!/usr/bin/env bash
# Runs every test project under tests/ (or only the ones named) against a real Docker engine.
#
#   ./test.sh                          all of tests/*/*.csproj, one after the other
#   ./test.sh tests/Contracts.Tests    only these (folders or .csproj files)
#   FILTER='FullyQualifiedName~Scale' ./test.sh   passed to dotnet test --filter
#
# Installs what is missing (docker.io, etcd, busybox-static, chromium; needs root for that), starts dockerd
# when no engine answers (and stops it again at the end), builds the local images and the solution
# once, then runs each project with a TRX logger into artifacts/test-results/.
# The last line printed is "N passed, N failed" (", N skipped" when some were skipped); the exit
# code is non-zero when anything failed. A project that could not run at all counts as 1 failed; a set-up step
# that fails (packages, dockerd, images, an unknown project) also ends with that line: "0 passed, 1 failed".
# Environment: FILTER, TEST_HANG_TIMEOUT (one test, default 10m), TEST_PROJECT_TIMEOUT (one
# project, default 40m), NO_BUILD=1 (skip the solution build: you built it yourself just now).
# shellcheck disable=SC2119  # lib functions with optional arguments are called without them
set -euo pipefail

cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")"
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

RESULTS="$ORC_ROOT/artifacts/test-results"
TEST_HANG_TIMEOUT="${TEST_HANG_TIMEOUT:-10m}"
TEST_PROJECT_TIMEOUT="${TEST_PROJECT_TIMEOUT:-40m}"
# no MSBuild worker processes left behind by this run
export MSBUILDDISABLENODEREUSE=1

passed=0 failed=0 skipped=0
SUMMARY_PRINTED=0

cleanup() {
  # stop only what this script started
  if [ "$DOCKERD_STARTED" = 1 ] && [ -n "$DOCKERD_PID" ]; then
    log "stopping the dockerd this run started (pid $DOCKERD_PID)"
    stop_pid "$DOCKERD_PID" 30
    DOCKERD_STARTED=0
  fi
}
# A set-up step that dies (die in scripts/lib.sh) or an interrupt still ends with the summary line, counted as
# 1 failed, so that whoever reads only the last line never takes an aborted run for a green one.
on_exit() {
  local rc=$?
  cleanup
  if [ "$SUMMARY_PRINTED" = 0 ]; then
    printf 'error: the run stopped (exit %d) before the tests were counted: counted as 1 failed\n' "$rc" >&2
    failed=$((failed + 1))
    SUMMARY_PRINTED=1
    echo
    printf '%s passed, %s failed\n' "$passed" "$failed"
  fi
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- which projects
projects=()
if [ "$#" -gt 0 ]; then
  for a in "$@"; do
    if [ -d "$a" ]; then
      found=("$a"/*.csproj)
      [ -e "${found[0]}" ] || die "no .csproj in $a"
      projects+=("${found[@]}")
    elif [ -f "$a" ] && [[ "$a" == *.csproj ]]; then
      projects+=("$a")
    elif [ -d "tests/$a" ]; then
      found=("tests/$a"/*.csproj)
      [ -e "${found[0]}" ] || die "no .csproj in tests/$a"
      projects+=("${found[@]}")
    else
      die "not a test project folder or .csproj: $a"
    fi
  done
else
  for p in tests/*/*.csproj; do
    [ -e "$p" ] && projects+=("$p")
  done
fi
[ "${#projects[@]}" -gt 0 ] || die "no test projects found under tests/"

# ---------------------------------------------------------------- environment
ensure_packages
ensure_chromium
ensure_test_shells
ensure_dotnet
ensure_dockerd
ensure_images

rm -rf "$RESULTS"
mkdir -p "$RESULTS"

summary() {
  local line="$passed passed, $failed failed"
  [ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
  SUMMARY_PRINTED=1
  cleanup
  echo
  printf '%s\n' "$line"
}

if [ "${NO_BUILD:-}" = 1 ]; then
  log "build: skipped (NO_BUILD=1)"
elif ! dotnet_build "$LOG_DIR/build.log"; then
  failed=${#projects[@]}
  printf 'error: the build failed, so none of the %d test projects ran (each counted as 1 failed)\n' "$failed" >&2
  summary
  exit 1
fi

# counter NAME FILE: the value of one attribute of the TRX <Counters .../> element (0 when absent)
counter() {
  local v
  v="$(grep -o '<Counters [^>]*>' "$2" | head -n1 | sed -n "s/.* $1=\"\\([0-9]*\\)\".*/\\1/p")"
  printf '%s\n' "${v:-0}"
}

# End-to-end tests append what they measure (recovery times and the like); shown with the results.
MEASUREMENTS="$RESULTS/measurements.txt"
rm -f "$MEASUREMENTS"

declare -a report=()
for proj in "${projects[@]}"; do
  name="$(basename "$proj" .csproj)"
  trx="$RESULTS/$name.trx"
  rm -f "$trx"
  echo
  log "test: $proj${FILTER:+ (filter: $FILTER)}"
  args=(test "$proj" -c Release --no-build
        --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS"
        --blame-hang-timeout "$TEST_HANG_TIMEOUT" --blame-hang-dump-type none)
  [ -z "${FILTER:-}" ] || args+=(--filter "$FILTER")
  rc=0
  timeout --kill-after=30s "$TEST_PROJECT_TIMEOUT" dotnet "${args[@]}" </dev/null || rc=$?
  if [ -f "$trx" ]; then
    t=$(counter total "$trx"); e=$(counter executed "$trx"); p=$(counter passed "$trx")
    f=$(( $(counter failed "$trx") + $(counter error "$trx") + $(counter timeout "$trx") + $(counter aborted "$trx") ))
    s=$(( t > e ? t - e : 0 ))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
      warn "$name: dotnet test exited $rc but its report has no failed test: counted as 1 failed"
      f=1
    fi
  else
    p=0 s=0 f=1
    if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
      warn "$name: stopped after $TEST_PROJECT_TIMEOUT (TEST_PROJECT_TIMEOUT) without a report: counted as 1 failed"
    else
      warn "$name: dotnet test exited $rc without a report ($trx): counted as 1 failed"
    fi
  fi
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  report+=("$(printf '%-22s %5d passed %5d failed %5d skipped' "$name" "$p" "$f" "$s")")
  # After the end-to-end tests nothing of theirs may be left on the machine: namespaces, the testbed's bridge and links,
  # routes of protocol 240, ORC-* chains, a VXLAN device, test networks (issue 14). Leftovers count as 1 failed.
  if [ "$name" = EndToEnd ] && [ "$(id -u)" = 0 ]; then
    if "$ORC_ROOT/scripts/testbed.sh" check-clean; then
      report+=("$(printf '%-22s %5d passed %5d failed' "  nothing left behind" 1 0)"); passed=$((passed + 1))
    else
      report+=("$(printf '%-22s %5d passed %5d failed' "  nothing left behind" 0 1)"); failed=$((failed + 1))
    fi
  fi
done

echo
if [ -s "$MEASUREMENTS" ]; then
  log "measured by the end-to-end tests:"
  sed 's/^/    /' "$MEASUREMENTS" >&2
fi
log "results (TRX files in ${RESULTS#"$ORC_ROOT"/}):"
printf '    %s\n' "${report[@]}" >&2
summary
[ "$failed" -eq 0 ]
