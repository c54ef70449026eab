#!/usr/bin/env bash
# npm test: the whole suite — lint, typecheck, unit, integration and e2e — on one throwaway cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --with-browser
start=$(date +%s)
echo "== lint";       npm run --silent lint
echo "== typecheck";  npm run --silent typecheck
echo "== build";      npm run --silent build >/dev/null
echo "== unit, integration and e2e"
npx tsx scripts/with-cluster.ts -- bash -c 'npx vitest run && npx playwright test'
echo "== all passed in $(( $(date +%s) - start ))s"
