#!/usr/bin/env bash
# Installs what dbsafe needs on a fresh Debian/Ubuntu machine with Node 20+, skipping what is already there:
# PostgreSQL server binaries (initdb, pg_ctl, pg_dump), Chromium for the e2e suite, and the npm packages.
set -euo pipefail
cd "$(dirname "$0")/.."

need_browser=${1:-}
packages=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || packages+=(postgresql postgresql-client)
# zstd: the tests write a `.sql.zst` backup the way teams compress theirs.
command -v zstd >/dev/null 2>&1 || packages+=(zstd)
if [[ $need_browser == --with-browser ]] && ! command -v chromium >/dev/null 2>&1; then packages+=(chromium); fi

if ((${#packages[@]})); then
  echo "setup: installing ${packages[*]}"
  sudo=""
  [[ $(id -u) == 0 ]] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  # Debian's package starts a cluster of its own; dbsafe only needs the binaries.
  if command -v pg_lsclusters >/dev/null 2>&1; then
    pg_lsclusters -h 2>/dev/null | while read -r ver name _; do $sudo pg_ctlcluster "$ver" "$name" stop 2>/dev/null || true; done
  fi
fi

node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' || { echo "setup: Node 20 or newer is required" >&2; exit 1; }
# Reinstall when package-lock.json changed since the last install.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
fi
