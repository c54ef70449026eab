// Lints 1,000 generated TypeScript migration modules (56,000 embedded statements) with the SQL rules, and
// the same statements written as 1,000 `.sql` files in the same run. Run: npx tsx bench/module-lint.bench.ts
import { performance } from 'node:perf_hooks'
import { parse } from 'libpg-query'
import { lintSql } from '~server/migrations/lint/lint'
import { lintMigrationModule } from '~server/migrations/modules/lint'
import { readMigrationModule } from '~server/migrations/modules/read'

const FILES = 1000
const GROUPS = 10

interface Statement {
  /** As the module writes it, `${…}` and all. */
  template: string
  /** As a `.sql` file writes it: the interpolations filled in. */
  sql: string
}

// A realistic module: tables, indexes, data fixes with interpolated values, idempotent inserts, a multi-line
// ALTER, a loop over table names, log lines and comments that mention DROP, and DROP TABLE in down().
function migration(n: number): { module: string, sql: string, statements: number } {
  const up: string[] = []
  const down: string[] = []
  const body: string[] = []
  const exec = (s: Statement, into: Statement[] | null = null) => {
    into?.push(s)
    return `    await db.exec(\`${s.template}\`)`
  }
  const upStatements: Statement[] = []
  for (let i = 0; i < GROUPS; i++) {
    const t = `f${n}_t${i}`
    const ine = i % 3 === 0 ? '' : 'IF NOT EXISTS '
    body.push(
      `    // DROP TABLE ${t} is never done here`,
      exec({ template: `CREATE TABLE ${ine}${t} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now())`, sql: `CREATE TABLE ${ine}${t} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz DEFAULT now())` }, upStatements),
      exec({ template: `CREATE INDEX ${ine}${t}_name ON ${t} (name)`, sql: `CREATE INDEX ${ine}${t}_name ON ${t} (name)` }, upStatements),
      exec({ template: `UPDATE ${t} SET name = '\${defaults.name}' WHERE id = \${defaults.id}`, sql: `UPDATE ${t} SET name = 'x' WHERE id = 1` }, upStatements),
      exec({ template: `INSERT INTO ${t} (id, name) VALUES (1, 'DROP TABLE users; -- not a statement') ON CONFLICT DO NOTHING`, sql: `INSERT INTO ${t} (id, name) VALUES (1, 'DROP TABLE users; -- not a statement') ON CONFLICT DO NOTHING` }, upStatements),
      exec({ template: `\n      ALTER TABLE ${t}\n        ADD COLUMN IF NOT EXISTS note text\n    `, sql: `ALTER TABLE ${t}\n  ADD COLUMN IF NOT EXISTS note text` }, upStatements),
      `    console.log(\`Migrated ${t} to \${defaults.version}\`)`,
    )
    if (i < 5) down.push(`    await db.exec('DROP TABLE IF EXISTS ${t}')`)
  }
  const loop: Statement = { template: 'ALTER TABLE ${table} DROP COLUMN IF EXISTS legacy_flag', sql: `ALTER TABLE f${n}_t0 DROP COLUMN IF EXISTS legacy_flag` }
  up.push(...upStatements.map((s) => s.sql), loop.sql)
  const downSql = Array.from({ length: 5 }, (_, i) => `DROP TABLE IF EXISTS f${n}_t${i}`)
  const module = `import type { Migration } from './types'

const tables = ['f${n}_t0', 'f${n}_t1', 'f${n}_t2']
const defaults = { id: 1, name: 'x', version: ${n} }

export const migration: Migration = {
  id: '${String(n).padStart(4, '0')}_feature_${n}',
  description: 'Drop legacy flags, add feature ${n}',
  async up(db) {
${body.join('\n')}
    for (const table of tables) {
      console.log(\`Dropping legacy column on \${table}\`)
      await db.exec(\`${loop.template}\`)
    }
  },
  async down(db) {
${down.join('\n')}
  },
}
export default migration
`
  const sql = `-- migration ${n}\n${[...up, ...downSql].map((s) => `${s};`).join('\n')}\n`
  return { module, sql, statements: up.length + downSql.length }
}

const files = Array.from({ length: FILES }, (_, n) => migration(n))
const statements = files.reduce((sum, f) => sum + f.statements, 0)
await lintSql('SELECT 1;')
await lintMigrationModule(files[0].module, 'warm.ts')

let parsed = 0
for (const f of files) parsed += (await parse(f.sql)).stmts?.length ?? 0
if (parsed !== statements) throw new Error(`the .sql files hold ${parsed} statements, not ${statements}`)

// Alternating rounds, medians: the machine is shared, and a lone run of either is noisy.
const ROUNDS = 3
const times = { sql: [] as number[], modules: [] as number[], read: [] as number[] }
let sqlRules: string[] = []
let moduleRules: string[] = []
for (let round = 0; round < ROUNDS; round++) {
  const t0 = performance.now()
  sqlRules = []
  for (const f of files) sqlRules.push(...(await lintSql(f.sql)).map((x) => x.rule))
  times.sql.push(performance.now() - t0)

  const t1 = performance.now()
  moduleRules = []
  for (const [n, f] of files.entries()) moduleRules.push(...(await lintMigrationModule(f.module, `${n}_feature.ts`)).map((x) => x.rule))
  times.modules.push(performance.now() - t1)

  const t2 = performance.now()
  for (const [n, f] of files.entries()) readMigrationModule(f.module, `${n}_feature.ts`)
  times.read.push(performance.now() - t2)
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const [sqlMs, moduleMs, readMs] = [median(times.sql), median(times.modules), median(times.read)]

const perSecond = (ms: number) => Math.round(statements / (ms / 1000))
// The same statements should give the same findings, rule by rule, whichever way they are written.
const same = moduleRules.sort().join() === sqlRules.sort().join()
console.log(`${FILES} files, ${statements} statements; findings: modules ${moduleRules.length}, .sql ${sqlRules.length}, ${same ? 'the same rules' : 'DIFFERENT rules'}`)
console.log(`TypeScript modules: ${(moduleMs / 1000).toFixed(2)} s = ${perSecond(moduleMs)} statements/s (of which reading the modules with @babel/parser: ${(readMs / 1000).toFixed(2)} s)`)
console.log(`.sql files:         ${(sqlMs / 1000).toFixed(2)} s = ${perSecond(sqlMs)} statements/s`)
console.log(`ratio modules / .sql: ${(moduleMs / sqlMs).toFixed(2)} (median of ${ROUNDS} alternating rounds)`)
