#!/usr/bin/env bash
# Fetches the real-world migration corpus that bench/lint-corpus.ts reads: pinned versions of npm packages
# that ship their PostgreSQL migrations, packed with `npm pack` into a temp dir, their migration files copied
# to <out>/<package>@<version>/<path in the package>. Run: bash bench/fetch-corpus.sh [/tmp/lint-corpus/files]
set -euo pipefail

out=${1:-/tmp/lint-corpus/files}

# package@version, then the migration files inside the package (bash globs, ** included). SQLite and
# MySQL migrations are left out: the linter reads PostgreSQL.
corpus=(
  'graphile-worker@0.18.0'                      'sql/*.sql'
  'umami@2.10.0'                                'db/postgresql/migrations/*/migration.sql'
  '@logto/schemas@1.43.0'                       'alterations/*.ts'
  '@n8n/db@1.41.2'                              'dist/migrations/postgresdb/*.js dist/migrations/common/*.js'
  'pg-boss@12.38.0'                             'dist/migrationStore.js'
  '@directus/api@39.2.1'                        'dist/database/migrations/*.js'
  '@sidequest/postgres-backend@1.16.5'          'migrations/*.js migrations/*.cjs migrations/*.ts'
  '@backstage/plugin-catalog-backend@4.0.5'     'migrations/*.js'
  '@backstage/plugin-scaffolder-backend@4.3.0'  'migrations/*.js'
  '@backstage/backend-defaults@0.19.0'          'migrations/**/*.js'
  '@backstage/plugin-events-backend@0.6.6'      'migrations/*.js'
  '@backstage/plugin-notifications-backend@0.6.11' 'migrations/*.js'
  '@backstage/plugin-search-backend-module-pg@0.5.61' 'migrations/*.js'
)
for module in api-key auth cart customer fulfillment inventory notification order payment pricing product promotion region sales-channel stock-location store tax user; do
  corpus+=("@medusajs/$module@2.21.2" 'dist/migrations/*.js')
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
shopt -s globstar nullglob
for ((i = 0; i < ${#corpus[@]}; i += 2)); do
  spec=${corpus[i]}
  tarball=$(cd "$work" && npm pack "$spec" --silent | tail -1)
  unpacked="$work/${tarball%.tgz}"
  mkdir -p "$unpacked"
  tar xzf "$work/$tarball" -C "$unpacked"
  dest="$out/${spec//\//__}"
  count=0
  read -ra patterns <<<"${corpus[i + 1]}"
  for pattern in "${patterns[@]}"; do
    for file in "$unpacked"/package/$pattern; do
      [[ $file == *.d.ts ]] && continue
      rel=${file#"$unpacked/package/"}
      mkdir -p "$dest/$(dirname "$rel")"
      cp "$file" "$dest/$rel"
      count=$((count + 1))
    done
  done
  echo "$spec: $count files"
done

# graphile-worker's migrate.js puts the schema name in for :GRAPHILE_WORKER_SCHEMA before it runs a file; so do we.
for file in "$out"/graphile-worker@*/sql/*.sql; do
  sed -i 's/:GRAPHILE_WORKER_SCHEMA\b/graphile_worker/g' "$file"
done
