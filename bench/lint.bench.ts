// Lints 1,000 generated migration files (~100,000 statements) with the real PostgreSQL parser and every
// rule, and compares with the bare libpg-query parse of the same files in the same run (the floor any
// parser-based linter stands on). Run: npx tsx bench/lint.bench.ts
import { performance } from 'node:perf_hooks'
import { parse } from 'libpg-query'
import { lintSql } from '~server/migrations/lint/lint'

const FILES = 1000
const STATEMENTS_PER_FILE = 100

// A realistic mix: DDL with and without IF NOT EXISTS, indexes, data fixes, a destructive statement now and
// then, comments and strings that mention DROP TABLE, and a function body.
function migration(n: number): string {
  const t = `t${n}`
  const lines = [`-- migration ${n}: tables for feature ${n}, never DROP TABLE in a comment`]
  for (let i = 0; i < STATEMENTS_PER_FILE / 10; i++) {
    lines.push(
      `CREATE TABLE IF NOT EXISTS ${t}_${i} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now());`,
      `ALTER TABLE ${t}_${i} ADD COLUMN IF NOT EXISTS note text;`,
      `CREATE INDEX IF NOT EXISTS ${t}_${i}_name ON ${t}_${i} (name);`,
      `INSERT INTO ${t}_${i} (id, name) VALUES (1, 'DROP TABLE users; -- not a statement') ON CONFLICT DO NOTHING;`,
      `UPDATE ${t}_${i} SET note = 'x' WHERE id = 1;`,
      `COMMENT ON TABLE ${t}_${i} IS 'feature ${n}';`,
      `CREATE OR REPLACE FUNCTION f_${t}_${i}() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$;`,
      i % 5 === 0 ? `ALTER TABLE ${t}_${i} DROP COLUMN IF EXISTS legacy;` : `ANALYZE ${t}_${i};`,
      `CREATE INDEX ${t}_${i}_created ON ${t}_${i} (created_at);`,
      `GRANT SELECT ON ${t}_${i} TO app;`,
    )
  }
  return lines.join('\n') + '\n'
}

const files = Array.from({ length: FILES }, (_, n) => migration(n))
await lintSql('SELECT 1;')

const t0 = performance.now()
let statements = 0
for (const sql of files) statements += (await parse(sql)).stmts?.length ?? 0
const parseMs = performance.now() - t0

const t1 = performance.now()
let findings = 0
for (const sql of files) findings += (await lintSql(sql)).length
const lintMs = performance.now() - t1

console.log(`${FILES} files, ${statements} statements, ${findings} findings`)
console.log(`lint (parse + all rules): ${(lintMs / 1000).toFixed(2)} s = ${Math.round(FILES / (lintMs / 1000))} files/s, ${Math.round(statements / (lintMs / 1000))} statements/s`)
console.log(`bare libpg-query parse:    ${(parseMs / 1000).toFixed(2)} s = ${Math.round(statements / (parseMs / 1000))} statements/s`)
console.log(`ratio lint / parse: ${(lintMs / parseMs).toFixed(2)}`)
