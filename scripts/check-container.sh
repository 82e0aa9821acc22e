#!/usr/bin/env bash
# What CI can check of the container without a Docker engine: the Dockerfile's shape and the files
# it copies, then the runtime stage rehearsed by hand: a production-only install of the built app,
# started with the image's CMD, probed with the image's HEALTHCHECK, stopped with SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
fail() { echo "check-container: $*" >&2; exit 1; }

# 1. Every COPY source (from the build context) exists; the runtime stage is non-root, exec-form, health-checked.
while read -r src; do
  [ -e "$src" ] || fail "Dockerfile copies $src, which does not exist"
done < <(grep -E '^COPY ' Dockerfile | grep -v -- '--from=' | sed -E 's/^COPY +//' | awk '{ for (i = 1; i < NF; i++) print $i }')
grep -qE '^USER +node$' Dockerfile || fail "runtime stage must run as the node user"
grep -qE '^CMD \["node", "dist/src/server.js"\]$' Dockerfile || fail "CMD must be the exec form of node dist/src/server.js"
healthcheck=$(grep -E '^HEALTHCHECK ' Dockerfile | sed -E 's/^HEALTHCHECK .* CMD //')
[ -n "$healthcheck" ] || fail "no HEALTHCHECK"
[ -f docker-compose.yml ] || fail "no docker-compose.yml"
grep -q 'redis:' docker-compose.yml && grep -q 'api-2:' docker-compose.yml || fail "compose must run Redis and two instances"

# 2. Build as the build stage does, then lay out the runtime stage in a temporary directory.
npm run build --silent
work=$(mktemp -d)
server_pid=""
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT
cp package.json package-lock.json openapi.yaml "$work"/
cp -r dist data "$work"/
(cd "$work" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error)
[ ! -e "$work/node_modules/typescript" ] || fail "dev dependencies ended up in the production install"
[ ! -e "$work/node_modules/tsx" ] || fail "dev dependencies ended up in the production install"
# The ops CLI runs there too, compiled, as an operator runs it inside the image.
(cd "$work" && NODE_ENV=production node dist/src/cli/tables.js validate data/affiliates.csv >"$work/cli.log" 2>&1) ||
  fail "the ops CLI does not run from the production install: $(cat "$work/cli.log")"
grep -q '✓ valid' "$work/cli.log" || fail "the ops CLI did not validate the shipped table: $(cat "$work/cli.log")"

port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")

# 3. Production refuses the sample data unless told otherwise.
if (cd "$work" && NODE_ENV=production PORT=$port HOST=127.0.0.1 node dist/src/server.js >"$work/refused.log" 2>&1); then
  fail "production started on sample data"
fi
grep -q 'marked sample' "$work/refused.log" || fail "the refusal does not say sample: $(cat "$work/refused.log")"

# 4. Start as the image does; wait until the HEALTHCHECK command passes.
(cd "$work" && exec env NODE_ENV=production ALLOW_SAMPLE_DATA_IN_PRODUCTION=true PORT=$port HOST=127.0.0.1 node dist/src/server.js >"$work/server.log" 2>&1) &
server_pid=$!
probe=$(node -e "const a=JSON.parse(process.argv[1]); console.log(a[2])" "$healthcheck")
for _ in $(seq 1 100); do
  if PORT=$port node -e "$probe"; then healthy=1; break; fi
  kill -0 "$server_pid" 2>/dev/null || fail "the server died: $(cat "$work/server.log")"
  sleep 0.2
done
[ "${healthy:-}" = 1 ] || fail "HEALTHCHECK never passed: $(cat "$work/server.log")"
for path in /readyz /openapi.yaml /docs /metrics '/v1/route?zip=10001'; do
  code=$(node -e "fetch('http://127.0.0.1:$port$path').then(r=>console.log(r.status))")
  [ "$code" = 200 ] || fail "GET $path answered $code"
done

# 5. SIGTERM stops it cleanly.
kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=""
[ "$status" = 0 ] || fail "exit code $status after SIGTERM: $(tail -5 "$work/server.log")"
grep -q 'shut down cleanly' "$work/server.log" || fail "no clean shutdown logged"
echo "check-container: ok (Dockerfile sources, production-only install, HEALTHCHECK, SIGTERM → 0)"
