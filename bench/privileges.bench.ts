// The privileges page at catalog scale: 50,000 tables in 10 schemas (bench/privileges-catalog.ts), on the
// built console (npm run build first), against one psql run of the equivalent catalog scan in the same run.
// Prints the summary call (time and size), one matrix page, one chain, the export, and the console's RSS
// before and after. Run: npx tsx bench/privileges.bench.ts (BENCH_TABLES=5000 for a quick look).
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { startCluster } from '~scripts/pg-cluster'
import { FRESH_MS } from '~server/targets/shared-read'
import { loginCookie, startConsoleProcess, writeConfig } from '../test/support/console'
import { APP, TABLES, buildCatalog } from './privileges-catalog'

const RUNS = 5
const DB = 'bench_privileges'

// What psql would run to answer the same question: every relation's privileges and ownership for the role.
const SCAN = `WITH me AS (SELECT oid FROM pg_roles WHERE rolname = '${APP}')
SELECT c.oid::regclass,
  has_table_privilege(me.oid, c.oid, 'SELECT'), has_table_privilege(me.oid, c.oid, 'INSERT'),
  has_table_privilege(me.oid, c.oid, 'UPDATE'), has_table_privilege(me.oid, c.oid, 'DELETE'),
  has_table_privilege(me.oid, c.oid, 'TRUNCATE'), pg_has_role(me.oid, c.relowner, 'MEMBER'), c.relacl
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace CROSS JOIN me
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname NOT IN ('pg_catalog', 'information_schema')`

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const ms = (n: number) => `${n.toFixed(0)} ms`
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
const rssOf = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024

async function timed(fn: () => Promise<number>): Promise<{ ms: number, bytes: number }> {
  const start = performance.now()
  const bytes = await fn()
  return { ms: performance.now() - start, bytes }
}

const cluster = await startCluster()
try {
  const admin = new pg.Client(cluster.adminUrl)
  await admin.connect()
  await admin.query(`CREATE DATABASE ${DB}`)
  await admin.query('CREATE DATABASE bench_console')
  await admin.end()
  const url = new URL(cluster.urlFor(DB))
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 })
  const setupStart = performance.now()
  await buildCatalog(pool)
  await pool.end()
  console.log(`setup: ${TABLES} tables in 10 schemas in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`)

  const psqlRuns: number[] = []
  for (let i = 0; i <= RUNS; i++) {
    const start = performance.now()
    const res = spawnSync(join(cluster.binDir, 'psql'),
      ['-X', '-q', '-A', '-t', '-h', url.hostname, '-p', url.port, '-U', decodeURIComponent(url.username), '-d', DB, '-c', SCAN],
      { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
    if (res.status !== 0) throw new Error(`psql failed: ${res.stderr}`)
    if (i > 0) psqlRuns.push(performance.now() - start)
  }
  const psql = median(psqlRuns)

  const config = writeConfig({ targets: [{ id: 'bench', label: 'Bench', envFile: '/nonexistent/.env', databaseUrl: url.toString(), appRole: APP, migrationsDir: '/tmp', backupsDir: '/tmp' }] })
  const web = await startConsoleProcess({ DBSAFE_CONFIG: config, DBSAFE_DATABASE_URL: cluster.urlFor('bench_console'), DBSAFE_ADMIN_PASSWORD: 'bench-admin-password' })
  try {
    const cookie = await loginCookie(web.url, 'admin', 'bench-admin-password')
    const get = async (path: string) => {
      const res = await fetch(`${web.url}/api/targets/bench/privileges${path}`, { headers: { cookie } })
      if (!res.ok) throw new Error(`${path} answered ${res.status}: ${await res.text()}`)
      return (await res.arrayBuffer()).byteLength
    }
    const rssBefore = rssOf(web.pid)
    // Each summary computes afresh: the shared answer of the previous one is let expire first.
    const first = await timed(() => get(''))
    const summaries: number[] = []
    let summaryBytes = first.bytes
    for (let i = 0; i < RUNS; i++) {
      await new Promise((r) => setTimeout(r, FRESH_MS + 500))
      const s = await timed(() => get(''))
      summaries.push(s.ms)
      summaryBytes = s.bytes
    }
    const summary = median(summaries)
    // Pages and chains read the analysis the summary just computed, as the page does right after it.
    const pages: number[] = []
    let pageBytes = 0
    for (let i = 0; i < RUNS; i++) {
      const p = await timed(() => get(`/objects?power=dangerous&sort=owner&offset=${i * 100}&limit=100`))
      pages.push(p.ms)
      pageBytes = p.bytes
    }
    const filtered = await timed(() => get('/objects?schema=s3&search=t12&source=membership&limit=100'))
    const chain = await timed(() => get('/chain?kind=table&schema=s0&name=t70'))
    const csv = await timed(() => get('/export?format=csv'))
    const json = await timed(() => get('/export?format=json'))
    const rssAfter = rssOf(web.pid)

    console.log(`psql catalog scan, median of ${RUNS}: ${ms(psql)}`)
    console.log(`GET /privileges (summary), first call: ${ms(first.ms)}; median of ${RUNS} fresh analyses: ${ms(summary)}, ${kb(summaryBytes)} → ratio ${(summary / psql).toFixed(2)} (aim ≤ 1.5, ≤ 200 KB)`)
    console.log(`GET /privileges/objects, 100 dangerous objects sorted by owner, median of ${RUNS}: ${ms(median(pages))}, ${kb(pageBytes)} (aim ≤ 100 ms); filtered by schema, name and source: ${ms(filtered.ms)}`)
    console.log(`GET /privileges/chain: ${ms(chain.ms)}, ${kb(chain.bytes)}`)
    console.log(`GET /privileges/export: CSV ${ms(csv.ms)}, ${kb(csv.bytes)}; JSON ${ms(json.ms)}, ${kb(json.bytes)}`)
    console.log(`console RSS: ${(rssBefore / 1_048_576).toFixed(0)} MB before, ${(rssAfter / 1_048_576).toFixed(0)} MB after`)
  } finally {
    await web.stop()
  }
} finally {
  cluster.stop()
}
