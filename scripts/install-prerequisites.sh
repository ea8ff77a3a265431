#!/usr/bin/env bash
# Installs what RestMan needs on a Debian 12 machine, skipping what is already there.
# Idempotent; works as root (CI) or through sudo.
set -euo pipefail

need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
[ -x /usr/lib/postgresql/15/bin/postgres ] || ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
have_cmd redis-server || need+=(redis-server)
have_cmd clickhouse-server || [ -x /usr/sbin/clickhouse-server ] || need+=(clickhouse-server)
have_cmd clickhouse-client || need+=(clickhouse-client)
have_cmd kcat || need+=(kcat)
# Browser tests drive Debian's chromium through Microsoft.Playwright (no browser download here).
have_cmd chromium || need+=(chromium)
# PostgreSQL runs as the postgres OS user under root via setpriv (util-linux).
have_cmd setpriv || need+=(util-linux)
# Billing's PDF receipts draw with DejaVu Sans (PDFsharp reads the font file; Billing:Receipts:FontDirectory).
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)

if [ ${#need[@]} -gt 0 ]; then
  echo "restman: installing ${need[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  # env, not sudo -E: as root $sudo is empty and the command must still start with a program.
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

# Aspire itself needs nothing from apt: DCP and the dashboard come with the AppHost SDK's NuGet packages, and
# everything runs over plain http (no development certificate; see README).
if ! command -v dotnet >/dev/null 2>&1; then
  echo "restman: the .NET SDK 10 is required (dotnet on PATH)" >&2
  exit 1
fi
