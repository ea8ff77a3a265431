#!/usr/bin/env bash
# Runs the whole RestMan graph: installs prerequisites, builds, starts the AppHost.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-prerequisites.sh
dotnet build RestMan.sln -c Debug -nologo -v q
exec dotnet run --no-build --project RestMan.AppHost -- "$@"
