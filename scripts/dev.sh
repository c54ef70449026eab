#!/usr/bin/env bash
# npm run dev: the demo world with hot reload (Vite for the SPA, nitro dev for the API).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
[[ -f dist/index.html ]] || npx vite build --logLevel warn
exec npx tsx scripts/demo.ts --dev
