#!/usr/bin/env bash
# Runs every RestMan test: installs prerequisites, builds, tests against real local infrastructure.
set -euo pipefail
cd "$(dirname "$0")"
./scripts/install-prerequisites.sh
dotnet build RestMan.sln -c Debug -nologo -v q
# The run's output is also kept, so that its last lines name what failed (CI shows only the end of a long log).
log="$(mktemp -t restman-test-XXXXXX.log)"
trap 'rm -f "$log"' EXIT
status=0
dotnet test RestMan.sln -c Debug --no-build -nologo --logger "console;verbosity=normal" "$@" 2>&1 | tee "$log" || status=$?
if [ "$status" -ne 0 ]; then
  echo
  echo "restman: what failed (each test's first lines of its error):"
  awk '/^  Failed [A-Za-z]/ { n = 16 } n > 0 { print substr($0, 1, 300); n-- }' "$log"
fi
exit "$status"
