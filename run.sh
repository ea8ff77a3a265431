#!/usr/bin/env bash
# Runs the whole RestMan graph on .NET Aspire: installs prerequisites, builds, starts the AppHost (DCP + dashboard).
# Prints the dashboard URL (with its login token, or anonymous with RESTMAN_DASHBOARD_ANONYMOUS=1), the gateway URL,
# and "<resource> Running <endpoint>" lines once healthy. Ctrl+C or SIGTERM stops everything.
set -euo pipefail
cd "$(dirname "$0")"
# RESTMAN_NO_BUILD=1: start what is already built (scripts/soak.sh builds once, then starts the graph many times).
if [ "${RESTMAN_NO_BUILD:-0}" != "1" ]; then
  ./scripts/install-prerequisites.sh
  dotnet build RestMan.sln -c Debug -nologo -v q
fi

# Plain http: this machine has no trusted development certificate (see README, "Running").
export ASPNETCORE_ENVIRONMENT=Development DOTNET_ENVIRONMENT=Development
export ASPIRE_ALLOW_UNSECURED_TRANSPORT=true
export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://localhost:18888}"
export ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL="${ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL:-http://localhost:18889}"
export ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="${ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL:-http://localhost:18890}"
if [ "${RESTMAN_DASHBOARD_ANONYMOUS:-0}" = "1" ]; then export ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true; fi

# exec: the AppHost itself gets SIGTERM/SIGINT and tears DCP and every resource down.
cd RestMan.AppHost
exec ./bin/Debug/net10.0/RestMan.AppHost "$@"
