#!/usr/bin/env bash
# Event creation over HTTP with and without the audit record (issue 4), interleaved A B A B on the
# same machine. BEFORE is a civicgrid binary built from a commit without it, e.g.:
#   git archive c548c5c | tar -x -C /tmp/before && cmake -S /tmp/before -B /tmp/before/out \
#     -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo && ninja -C /tmp/before/out civicgrid
#   BEFORE=/tmp/before/out/civicgrid scripts/bench_audit_cost.sh
set -euo pipefail
cd "$(dirname "$0")/.."
before=${BEFORE:?set BEFORE to the civicgrid binary without the audit record}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pw=bench-pass-2026
secs=${SECS:-10}
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
$before demo --db $work/before.db --events 20000 --password $pw >/dev/null 2>&1
build/civicgrid demo --db $work/after.db --events 20000 --password $pw >/dev/null 2>&1
run() {  # name binary db
  local port
  port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
  $2 serve --db $3 --listen 127.0.0.1:$port --quiet 2>$work/serve-$1.log &
  local server=$!
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  echo "--- $1 (load $(cut -d' ' -f1 /proc/loadavg))"
  build/load_gen --url "http://127.0.0.1:$port" --user operator --password $pw --connections 64 \
    --threads 2 --seconds $secs | tail -2
  kill -TERM $server; wait $server || true
  grep '"msg":"stopped"' $work/serve-$1.log | sed 's/.*"writer"://; s/}$//'
}
for round in 1 2; do
  run before $before $work/before.db
  run after build/civicgrid $work/after.db
done
