#!/usr/bin/env bash
# npm test's static checks, side by side (each is mostly one core): type check, ESLint, Prettier.
set -uo pipefail
cd "$(dirname "$0")/.."
npm run --silent typecheck & typecheck=$!
npm run --silent lint & lint=$!
npm run --silent format:check
format=$?
wait "$typecheck"; typecheck=$?
wait "$lint"; lint=$?
for check in typecheck lint format; do
  [ "${!check}" -eq 0 ] || { echo "checks: $check failed" >&2; failed=1; }
done
exit "${failed:-0}"
