#!/usr/bin/env bash
# Instructions per route request (user space), counted by valgrind's callgrind: the same figure
# run after run, whatever else the machine is doing, where req/s and CPU time swing by ±30% on a
# shared machine. Used for "what each optimisation bought" in BENCHMARKS.md.
#   bash scripts/bench/instructions.sh [service|bare] [requests] [profile]   (after npm run build)
# profile: one of npm run bench's load profiles ("zip", "location", "phone E.164", "phone as
# typed"); by default one phone number over and over. Start-up runs uninstrumented; 10 000
# requests warm the JIT; counting covers the next [requests]. Bare Fastify is sent the same
# requests (its wildcard route answers them all with its fixed body), as in npm run bench.
set -euo pipefail
cd "$(dirname "$0")/../.."
which=${1:-service}
requests=${2:-5000}
profile=${3:-/v1/route?phone=%2B12122267834}
port=$(node -e "const s = require('node:net').createServer().listen(0, () => { console.log(s.address().port); s.close(); })")
out=${CALLGRIND_OUT:-$(mktemp -d)}
if [ "$which" = bare ]; then
  export BENCH_BODY; BENCH_BODY=$(node -e "process.stdout.write('x'.repeat(2300))")
  command=(node --import tsx scripts/bench/bareServer.ts)
  ready="http://127.0.0.1:$port/"
else
  export NODE_ENV=production ALLOW_SAMPLE_DATA_IN_PRODUCTION=true HOST=127.0.0.1 RATE_LIMIT_TELEPHONY_PER_IP=1000000000
  command=(node dist/src/server.js)
  ready="http://127.0.0.1:$port/readyz"
fi
export PORT=$port
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out/cg.%p" "${command[@]}" >/dev/null 2>"$out/log" &
pid=$!
for _ in $(seq 1 600); do curl -sf "$ready" >/dev/null && break; sleep 0.5; done
drive() { npx tsx scripts/bench/drive.ts "$port" "$2" "$1" >/dev/null; }
drive 10000 "$profile"
callgrind_control -i on "$pid" >/dev/null 2>&1
drive "$requests" "$profile"
callgrind_control -i off "$pid" >/dev/null 2>&1
callgrind_control -d "$pid" >/dev/null 2>&1
kill "$pid"; wait "$pid" 2>/dev/null || true
total=$(for f in "$out"/cg.*; do callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ && !seen { gsub(",", "", $1); print $1; seen = 1 }'; done | awk '{s += $1} END {print s}')
echo "$which: $((total / requests)) instructions per request"
[ -n "${CALLGRIND_OUT:-}" ] || rm -rf "$out"
