#!/usr/bin/env bash
# npm run demo: install what is missing, build, then run the demo until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
npx vite build --logLevel warn
npx nitro build >/dev/null
exec npx tsx scripts/demo.ts "$@"
