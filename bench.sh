#!/usr/bin/env bash
# The RestMan benchmark: builds Release, starts the whole graph as ./run.sh does (own ports, fresh data), loads it
# through the gateway and prints the figures beside pgbench and redis-benchmark on the same engines.
# Usage: ./bench.sh [seconds per phase, default 20] [concurrent clients, default 16]. Results: .bench/bench-*.json
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-prerequisites.sh
# The bare engines' own load tools: pgbench (postgresql-client) and redis-benchmark (redis-tools); wrk for the menu.
if ! command -v pgbench >/dev/null || ! command -v redis-benchmark >/dev/null || ! command -v wrk >/dev/null; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-client redis-tools wrk >/dev/null
fi
dotnet build RestMan.sln -c Release -nologo -v q
RESTMAN_ROOT="$PWD" RESTMAN_COMMIT="$(git rev-parse --short HEAD 2>/dev/null || true)" \
  exec dotnet benchmarks/RestMan.Benchmarks/bin/Release/net10.0/RestMan.Benchmarks.dll "$@"
