// Lints a directory of real migration files (bench/fetch-corpus.sh fetches one): `.sql` files with lintSql,
// JS/TS modules with lintMigrationModule. Prints findings per rule and severity and per project, writes the
// destructive findings as JSONL, and with --labels reports how many labelled false alarms are still there.
// Run: npx tsx bench/lint-corpus.ts [dir] [--out destructive.jsonl] [--labels bench/corpus-labels.jsonl]
//      npx tsx bench/lint-corpus.ts [dir] --sample 300 --seed 12 > sample.jsonl   (the findings to label)
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { parseArgs } from 'node:util'
import { loadModule, parseSync } from 'libpg-query'
import type { LintFinding } from '~contract/migrations'
import { lintSql } from '~server/migrations/lint/lint'
import { isMigrationModule, migrationLanguage } from '~server/migrations/modules/files'
import { lintMigrationModule } from '~server/migrations/modules/lint'
import { readMigrationModule } from '~server/migrations/modules/read'
import { sqlOf } from '~server/migrations/modules/synthetic'
import { seeded } from './lint-fixtures'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    out: { type: 'string', default: '/tmp/lint-corpus/destructive.jsonl' },
    labels: { type: 'string' },
    sample: { type: 'string' },
    seed: { type: 'string', default: '12' },
  },
})
const dir = positionals[0] ?? '/tmp/lint-corpus/files'

/** One destructive finding, keyed by file, line and rule; `statement` is for the reader. */
interface Destructive { file: string, line: number, rule: string, phase?: LintFinding['phase'], statement: string }
interface Label { file: string, line: number, rule: string, label: 'true' | 'false-alarm', why: string }
const key = (f: { file: string, line: number, rule: string }) => `${f.file}:${f.line}:${f.rule}`

await loadModule()
const files = listFiles(dir).filter((f) => migrationLanguage(f) === 'sql' ? f.endsWith('.sql') : isMigrationModule(f))
const byRule = new Map<string, number>()
const byProject = new Map<string, { files: number, statements: number, findings: number, destructive: number }>()
const destructive: Destructive[] = []
for (const path of files) {
  const file = relative(dir, path)
  const source = readFileSync(path, 'utf8')
  const findings = file.endsWith('.sql') ? await lintSql(source) : await lintMigrationModule(source, file)
  const project = file.split('/')[0]
  const p = byProject.get(project) ?? { files: 0, statements: 0, findings: 0, destructive: 0 }
  p.files++
  p.statements += statementCount(source, file)
  p.findings += findings.length
  for (const f of findings) {
    byRule.set(`${f.severity}\t${f.rule}`, (byRule.get(`${f.severity}\t${f.rule}`) ?? 0) + 1)
    if (f.severity !== 'destructive') continue
    p.destructive++
    destructive.push({ file, line: f.line, rule: f.rule, ...(f.phase === undefined ? {} : { phase: f.phase }), statement: f.statement.slice(0, 500) })
  }
  byProject.set(project, p)
}

if (values.sample) {
  // The findings to label: all of them, or a seeded random sample, in file order.
  const picked = shuffle(destructive, Number(values.seed)).slice(0, Number(values.sample))
  picked.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line)
  for (const d of picked) console.log(JSON.stringify(d))
  process.exit(0)
}

const total = { files: 0, statements: 0, findings: 0, destructive: 0 }
for (const p of byProject.values()) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += p[k]
console.log(`${dir}: ${total.files} files, ~${total.statements} statements, ${total.findings} findings, ${total.destructive} destructive\n`)
console.log('project\tfiles\tstatements\tfindings\tdestructive')
for (const [name, p] of [...byProject].sort()) console.log(`${name}\t${p.files}\t${p.statements}\t${p.findings}\t${p.destructive}`)
console.log('\nseverity\trule\tfindings')
for (const [k, n] of [...byRule].sort((a, b) => a[0].localeCompare(b[0]))) console.log(`${k}\t${n}`)
writeFileSync(values.out, destructive.map((d) => JSON.stringify(d)).join('\n') + '\n')
console.log(`\n${destructive.length} destructive findings written to ${values.out}`)

if (values.labels) {
  const labels = readFileSync(values.labels, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Label)
  const present = new Set(destructive.map(key))
  const still = labels.filter((l) => present.has(key(l)))
  const falseStill = still.filter((l) => l.label === 'false-alarm').length
  const falseAll = labels.filter((l) => l.label === 'false-alarm').length
  const trueGone = labels.filter((l) => l.label === 'true' && !present.has(key(l)))
  console.log(`\nlabels: ${labels.length} (${falseAll} false alarms, ${labels.length - falseAll} true) from ${values.labels}`)
  console.log(`destructive findings: ${destructive.length}`)
  console.log(`labelled findings still reported: ${still.length}; false alarms still reported: ${falseStill} of ${falseAll}`)
  console.log(`false-alarm rate: before ${pct(falseAll, labels.length)}, now ${pct(falseStill, still.length)} (false alarms still reported / labelled findings still reported)`)
  // A true finding that disappeared is a miss, not an improvement.
  console.log(`true findings no longer reported: ${trueGone.length}`)
  for (const l of trueGone) console.log(`  ${key(l)}`)
}

function listFiles(root: string): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort()
}

/** Statements in a `.sql` file; in a module, those of each SQL literal that parses on its own. */
function statementCount(source: string, file: string): number {
  const count = (sql: string) => {
    try {
      return parseSync(sql).stmts?.length ?? 0
    } catch {
      return 0
    }
  }
  if (file.endsWith('.sql')) return source.trim() === '' ? 0 : count(source)
  return readMigrationModule(source, file).literals.reduce((n, literal) => n + count(sqlOf({ literal, numbers: literal.expressions.map((_, i) => i), placeholder: 'name' })), 0)
}

// Fisher-Yates with a seeded generator: the same seed picks the same sample.
function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items]
  const random = seeded(seed)
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    ;[out[i], out[j]] = [out[j], out[i]]
  }
  return out
}

function pct(n: number, of: number): string {
  return of === 0 ? 'n/a' : `${n} / ${of} = ${(100 * n / of).toFixed(1)}%`
}
