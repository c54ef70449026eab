// Lints one 64,000-statement file and 1,000 files of real-world shape (bench/lint-fixtures.ts) with every rule, next to
// libpg-query's bare parseSync of the same text: statements/s warm (in this process, after a warm-up, median of rounds)
// and cold (a fresh child process's first pass), the ratio lint / bare parse, and the slowest file's ratio. Compares
// with squawk on the same files when `npm install squawk-cli` works here. Run: npx tsx bench/lint.bench.ts
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { loadModule, parseSync } from 'libpg-query'
import { lintSql } from '~server/migrations/lint/lint'
import { largeFile, realWorldFiles } from './lint-fixtures'

const LARGE = 64_000
const FILES = 1000
const ROUNDS = 5
const SQUAWK = 'squawk-cli@2.66.0'
const SQUAWK_LIMIT_MS = 120_000

interface Set { name: string, files: string[] }

// A child process lints (or bare-parses) the files once, as a fresh `dbsafe` process would on its first request.
if (process.argv[2] === '--cold') {
  const [, , , mode, dir] = process.argv
  const texts = readdirSync(dir).sort().map((f) => readFileSync(join(dir, f), 'utf8'))
  const t0 = performance.now()
  if (mode === 'lint') for (const sql of texts) await lintSql(sql)
  else {
    await loadModule()
    for (const sql of texts) parseSync(sql)
  }
  console.log(JSON.stringify({ ms: performance.now() - t0 }))
  process.exit(0)
}

await loadModule()
const root = mkdtempSync(join(tmpdir(), 'dbsafe-lint-bench-'))
const sets: Set[] = [
  { name: `one file of ${LARGE.toLocaleString('en')} statements`, files: [largeFile(LARGE)] },
  { name: `${FILES} files of real-world shape`, files: realWorldFiles(FILES) },
]
for (const [i, set] of sets.entries()) {
  mkdirSync(join(root, `set${i}`))
  set.files.forEach((sql, n) => writeFileSync(join(root, `set${i}`, `${String(n).padStart(4, '0')}.sql`), sql))
}
const squawk = installSquawk()

for (const [i, set] of sets.entries()) {
  const dir = join(root, `set${i}`)
  const statements = set.files.reduce((n, sql) => n + (parseSync(sql).stmts?.length ?? 0), 0)
  const cold = { lint: coldRun('lint', dir), parse: coldRun('parse', dir) }
  const warm = await warmRuns(set.files)
  const findings = (await Promise.all(set.files.map((sql) => lintSql(sql)))).reduce((n, f) => n + f.length, 0)
  const rate = (ms: number) => `${Math.round(statements / (ms / 1000)).toLocaleString('en')} statements/s`
  console.log(`\n== ${set.name}: ${statements.toLocaleString('en')} statements, ${findings.toLocaleString('en')} findings`)
  console.log(`warm  lint ${ms(warm.lint)} = ${rate(warm.lint)}; bare parse ${ms(warm.parse)} = ${rate(warm.parse)}; ratio ${(warm.lint / warm.parse).toFixed(2)} (median of ${ROUNDS})`)
  console.log(`cold  lint ${ms(cold.lint.first)} = ${rate(cold.lint.first)}; bare parse ${ms(cold.parse.first)} = ${rate(cold.parse.first)}; ratio ${(cold.lint.first / cold.parse.first).toFixed(2)} (first pass in a fresh process)`)
  console.log(`      with process start-up: lint ${ms(cold.lint.wall)} = ${rate(cold.lint.wall)}; bare parse ${ms(cold.parse.wall)} = ${rate(cold.parse.wall)}`)
  if (set.files.length > 1) {
    const ratios = warm.ratios.map((r) => r.ratio).sort((a, b) => a - b)
    const { index, ratio } = warm.ratios.reduce((a, b) => (b.ratio > a.ratio ? b : a))
    const first = set.files[index].split('\n').find((l) => !l.startsWith('--') && !l.startsWith('/*'))?.slice(0, 40)
    console.log(`per file, lint / bare parse (best of ${ROUNDS} each): median ${ratios[ratios.length >> 1].toFixed(2)}, p99 ${ratios[Math.floor(ratios.length * 0.99)].toFixed(2)}, slowest ${ratio.toFixed(2)} (${String(index).padStart(4, '0')}.sql: ${parseSync(set.files[index]).stmts?.length} statements, "${first}…")`)
    // A DO block's body is parsed a second time, as PL/pgSQL, which the bare parse never does.
    const plain = warm.ratios.filter((r) => !set.files[r.index].includes('DO $$')).sort((a, b) => b.ratio - a.ratio)
    console.log(`      without DO blocks (${plain.length} files): slowest ${plain[0].ratio.toFixed(2)} (${String(plain[0].index).padStart(4, '0')}.sql, ${parseSync(set.files[plain[0].index]).stmts?.length} statements)`)
  }
  if (squawk.bin) {
    const t0 = performance.now()
    const run = spawnSync(squawk.bin, readdirSync(dir).map((f) => join(dir, f)), { stdio: 'ignore', timeout: SQUAWK_LIMIT_MS })
    const t = performance.now() - t0
    console.log(run.error ? `squawk ${squawk.version}: not done after ${ms(SQUAWK_LIMIT_MS)}, stopped` : `squawk ${squawk.version}: ${ms(t)} = ${rate(t)} (one run over the same files, start-up included)`)
  }
}
if (!squawk.bin) console.log(`\nsquawk: not compared (${squawk.why})`)
rmSync(root, { recursive: true, force: true })

async function warmRuns(files: string[]) {
  for (const sql of files) await lintSql(sql)
  const lint: number[] = []
  const parse: number[] = []
  // Per file, the best of the rounds: a small file's time is a few microseconds, and the machine is shared.
  const best = files.map(() => ({ lint: Infinity, parse: Infinity }))
  for (let round = 0; round < ROUNDS; round++) {
    let total = 0
    for (const [i, sql] of files.entries()) {
      const t0 = performance.now()
      await lintSql(sql)
      const t = performance.now() - t0
      best[i].lint = Math.min(best[i].lint, t)
      total += t
    }
    lint.push(total)
    total = 0
    for (const [i, sql] of files.entries()) {
      const t0 = performance.now()
      parseSync(sql)
      const t = performance.now() - t0
      best[i].parse = Math.min(best[i].parse, t)
      total += t
    }
    parse.push(total)
  }
  return { lint: median(lint), parse: median(parse), ratios: best.map((b, index) => ({ index, ratio: b.lint / b.parse })) }
}

function coldRun(mode: 'lint' | 'parse', dir: string): { first: number, wall: number } {
  const t0 = performance.now()
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--cold', mode, dir], { encoding: 'utf8' })
  return { first: JSON.parse(out).ms, wall: performance.now() - t0 }
}

// squawk-cli ships its binary as an npm optional dependency (no download at install time), so it installs offline
// from the registry alone; kept in the temp dir between runs.
function installSquawk(): { bin?: string, version?: string, why?: string } {
  const prefix = join(tmpdir(), 'dbsafe-bench-squawk')
  const bin = join(prefix, 'node_modules', '.bin', 'squawk')
  try {
    if (!existsSync(bin)) execFileSync('npm', ['install', '--prefix', prefix, '--no-save', '--silent', SQUAWK], { stdio: 'ignore' })
    return { bin, version: execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim() }
  } catch (e) {
    return { why: `npm install ${SQUAWK} or its binary failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` }
  }
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
}

function ms(t: number): string {
  return t >= 1000 ? `${(t / 1000).toFixed(2)} s` : `${t.toFixed(0)} ms`
}
