#!/usr/bin/env bash
# Starts and stops the whole graph N times (default 20) with ./run.sh on its default ports: waits for the
# "RestMan is up" line, sends SIGTERM, waits until the AppHost and every process of that run (DCP, engines, services)
# are gone. Prints one line per run and a summary: how many came up, how many stopped cleanly, start and stop p50/max.
# Exits non-zero if any run did not come up or left processes behind. Logs: $RESTMAN_SOAK_LOGS (default a temp dir).
#   scripts/soak.sh [runs]      RESTMAN_SOAK_START_TIMEOUT (s, default 600), RESTMAN_SOAK_STOP_TIMEOUT (s, default 60)
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}
start_timeout=${RESTMAN_SOAK_START_TIMEOUT:-600}
stop_timeout=${RESTMAN_SOAK_STOP_TIMEOUT:-60}
logs=${RESTMAN_SOAK_LOGS:-$(mktemp -d /tmp/restman-soak.XXXXXX)}
mkdir -p "$logs"

./scripts/install-prerequisites.sh >/dev/null
dotnet build RestMan.sln -c Debug -nologo -v q >/dev/null || { echo "build failed" >&2; exit 1; }

now() { date +%s.%N; }
# A process and all its descendants.
tree() { echo "$1"; for child in $(pgrep -P "$1"); do tree "$child"; done; }
alive() { for p in "$@"; do kill -0 "$p" 2>/dev/null && echo "$p"; done; }

starts=() stops=() up=0 clean=0
for run in $(seq 1 "$runs"); do
  log="$logs/run-$run.log"
  t0=$(now)
  RESTMAN_NO_BUILD=1 setsid ./run.sh >"$log" 2>&1 &
  apphost=$!   # run.sh execs the AppHost: same PID
  result="up"
  until grep -q "RestMan is up" "$log"; do
    if ! kill -0 "$apphost" 2>/dev/null; then result="exited before up"; break; fi
    if (( $(printf '%.0f' "$(echo "$(now) - $t0" | bc)") > start_timeout )); then result="not up within ${start_timeout}s"; break; fi
    sleep 0.2
  done
  start=$(echo "$(now) - $t0" | bc)
  # Everything this run started: the AppHost's tree and DCP's (DCP runs detached, watching the AppHost's PID).
  pids=$(tree "$apphost"; for dcp in $(pgrep -f -- "dcp start-apiserver --monitor $apphost "); do tree "$dcp"; done)
  if [ "$result" = "up" ]; then up=$((up + 1)); starts+=("$start"); fi

  t1=$(now)
  kill -TERM "$apphost" 2>/dev/null
  wait "$apphost"; code=$?
  left=""
  while :; do
    left=$(alive $pids)
    [ -z "$left" ] && break
    if (( $(printf '%.0f' "$(echo "$(now) - $t1" | bc)") > stop_timeout )); then break; fi
    sleep 0.2
  done
  stop=$(echo "$(now) - $t1" | bc)
  if [ -z "$left" ]; then
    clean=$((clean + 1)); stops+=("$stop"); stopped="stopped cleanly"
  else
    stopped="left behind: $(ps -o pid=,args= -p ${left//$'\n'/,} | cut -c1-120 | tr '\n' ';')"
    kill -KILL $left 2>/dev/null
  fi
  printf 'run %2d: %s in %6.1f s; exit code %s; %s in %5.1f s\n' "$run" "$result" "$start" "$code" "$stopped" "$stop"
done

# p50 = the middle value (upper middle for an even count), max = the largest.
stat() { if [ $# -eq 0 ]; then echo "n/a"; return; fi
  printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "p50 %.1f s, max %.1f s", v[int(NR / 2) + 1], v[NR] }'; }
echo
echo "$runs runs: $up up, $clean stopped cleanly. Start (to \"RestMan is up\") $(stat "${starts[@]}"); stop (SIGTERM to last process gone) $(stat "${stops[@]}"). Logs: $logs"
[ "$up" -eq "$runs" ] && [ "$clean" -eq "$runs" ]
