#!/usr/bin/env bash
# `make bench`: the figures of docs/PERFORMANCE.md, each beside its same-run reference.
#   BENCH_SECONDS=10 BENCH_DEMO_EVENTS=1000000 make bench
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${BENCH_SECONDS:-10}
big=${BENCH_DEMO_EVENTS:-1000000}
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
server=
pw=bench-pass-2026
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"

echo; echo "== point → grid lookup (geo_bench; reference: brute force over every polygon)"
build/geo_bench

echo; echo "== routing: locate + rule + deadline (routing_bench; references: locate only, rule map only)"
build/routing_bench

echo; echo "== deadline watcher: 1M watched, 20k crossing in 10 s (deadline_watch_bench)"
build/deadline_watch_bench

echo; echo "== event creation over HTTP (load_gen, 64 keep-alive connections, ${seconds}s)"
build/civicgrid demo --db "$work/http.db" --events 20000 --password "$pw" >/dev/null 2>&1
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
build/civicgrid serve --db "$work/http.db" --listen 127.0.0.1:$port --quiet 2>"$work/serve.log" &
server=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
build/load_gen --url "http://127.0.0.1:$port" --user operator --password "$pw" --connections 64 \
  --threads 2 --seconds "$seconds"
kill -TERM $server; wait $server || true; server=
stats=$(grep '"msg":"stopped"' "$work/serve.log" | sed 's/.*"writer"://; s/}$//')
echo "server group commits: $stats"
per=$(python3 -c "import json,sys;print(max(1,round(json.loads(sys.argv[1])['units_per_commit'])))" "$stats")

echo; echo "== the raw limit: the same rows straight into SQLite (reference for the line above)"
build/raw_insert_bench --events 50000 --batch "1,$per,100" --dir "$work"
echo "-- the same without an fsync per transaction (the CPU's limit)"
build/raw_insert_bench --events 50000 --batch "$per,100" --sync normal --dir "$work"

echo; echo "== demo city of $big events"
build/civicgrid demo --db "$work/big.db" --events "$big" --password "$pw" 2>/dev/null | grep '^demo city'
ls -l "$work/big.db" | awk '{printf "database size: %.2f GB\n", $5/1e9}'

echo; echo "== first page of GET /api/v1/events with each single filter on that city"
build/list_query_bench --db "$work/big.db" --runs 20
