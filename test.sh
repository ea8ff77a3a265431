#!/usr/bin/env bash
# Runs every RestMan test: installs prerequisites, builds, tests against real local infrastructure.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-prerequisites.sh
dotnet build RestMan.sln -c Debug -nologo -v q
dotnet test RestMan.sln -c Debug --no-build -nologo --logger "console;verbosity=normal" "$@"
