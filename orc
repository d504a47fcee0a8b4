#!/usr/bin/env bash
# orc: the Orchestrator CLI, run from this checkout (builds it first when it is missing).
# Put it on PATH with:  ln -s "$PWD/orc" /usr/local/bin/orc
set -euo pipefail
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
dll="$here/artifacts/bin/Cli/release/orc.dll"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if [ ! -f "$dll" ]; then
  command -v dotnet >/dev/null 2>&1 || { echo "orc: dotnet not found: install the .NET 10 SDK" >&2; exit 1; }
  mkdir -p "$here/.run/logs"
  log="$here/.run/logs/orc-build.log"
  echo "orc: building the CLI (first run; log: $log)" >&2
  if ! dotnet build -c Release "$here/src/Cli/Cli.csproj" -nologo -v:minimal >"$log" 2>&1; then
    echo "orc: the build failed:" >&2
    grep -E ': error ' "$log" | sort -u | head -n 30 >&2 || tail -n 30 "$log" >&2
    exit 1
  fi
fi
exec dotnet "$dll" "$@"
