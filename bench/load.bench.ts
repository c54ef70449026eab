// Many viewers of one target at once: autocannon against the built console (npm run build first) on the demo
// world's production target, overview / privileges / migrations / backups at 50 and 200 connections, with
// shared reads off (DBSAFE_SHARED_READS=off: every request computes) and on, while pg_stat_activity is sampled
// every 100 ms for the console's connections to the target database. GET /api/auth/me (session and user lookup,
// nothing else) is the floor any read stands on. Run: npx tsx bench/load.bench.ts
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import pg from 'pg'
import { createDemoEnvironment } from '~scripts/demo/environment'
import { startCluster } from '~scripts/pg-cluster'
import { POOL_SIZE } from '~server/database/pools'
import { loginCookie, startConsoleProcess } from '../test/support/console'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const TARGET = 'production'
const ROUTES = ['overview', 'privileges', 'migrations', 'backups', 'floor']
const urlOf = (base: string, route: string) => route === 'floor' ? `${base}/api/auth/me` : `${base}/api/targets/${TARGET}/${route}`
const CONNECTIONS = [50, 200]

interface Row { mode: string, route: string, connections: number, rps: number, p50: number, p99: number, failed: number, peak: Record<string, number> }

const cluster = await startCluster()
const workDir = mkdtempSync(join(tmpdir(), 'dbsafe-load-'))
const rows: Row[] = []
try {
  const demo = await createDemoEnvironment(cluster, workDir)
  const database = demo.targets[TARGET].database
  const sampler = new pg.Client(cluster.adminUrl)
  await sampler.connect()
  // The console's sessions on the target database, by login (the app's connection and the migration one are separate pools).
  const sample = async () => (await sampler.query<{ user: string, n: number }>(
    `SELECT usename AS user, count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'dbsafe' GROUP BY usename`, [database])).rows

  for (const mode of ['off', 'on']) {
    const web = await startConsoleProcess({ DBSAFE_CONFIG: demo.configPath, DBSAFE_ADMIN_PASSWORD: demo.adminPassword, DBSAFE_SHARED_READS: mode })
    try {
      const cookie = await loginCookie(web.url, 'admin', demo.adminPassword)
      for (const route of ROUTES) {
        const url = urlOf(web.url, route)
        const warm = await fetch(url, { headers: { cookie } })
        if (!warm.ok) throw new Error(`${route} answered ${warm.status}: ${await warm.text()}`)
        for (const connections of CONNECTIONS) {
          const peak: Record<string, number> = {}
          let sampling = true
          const sampled = (async () => {
            while (sampling) {
              for (const { user, n } of await sample()) peak[user] = Math.max(peak[user] ?? 0, n)
              await new Promise((r) => setTimeout(r, 100))
            }
          })()
          const result = await autocannon({ url, connections, duration: SECONDS, headers: { cookie } })
          sampling = false
          await sampled
          const row = { mode, route, connections, rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99,
            failed: result.non2xx + result.errors + result.timeouts, peak }
          rows.push(row)
          console.log(`shared reads ${mode}: ${route} × ${connections}: ${row.rps.toFixed(0)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, ${row.failed} failed, peak connections ${JSON.stringify(peak)}`)
        }
      }
    } finally {
      await web.stop()
    }
  }
  await sampler.end()

  console.log(`\n| route | connections | off: req/s | p50 | p99 | on: req/s | p50 | p99 | req/s ×, p99 ÷ | peak target connections off / on (pool ${POOL_SIZE} per login) |`)
  console.log('|---|---|---|---|---|---|---|---|---|---|')
  const total = (peak: Record<string, number>) => Object.entries(peak).map(([u, n]) => `${u} ${n}`).join(', ') || '0'
  let missed = false
  for (const route of ROUTES) {
    for (const connections of CONNECTIONS) {
      const [off, on] = ['off', 'on'].map((m) => rows.find((r) => r.mode === m && r.route === route && r.connections === connections)!)
      console.log(`| ${route} | ${connections} | ${off.rps.toFixed(0)} | ${off.p50} | ${off.p99} | ${on.rps.toFixed(0)} | ${on.p50} | ${on.p99} | ${(on.rps / off.rps).toFixed(1)}, ${(off.p99 / Math.max(on.p99, 1)).toFixed(1)} | ${total(off.peak)} / ${total(on.peak)} |`)
      if (route !== 'floor' && (on.failed > 0 || Object.values(on.peak).some((n) => n > POOL_SIZE) || (connections === 200 && on.p99 >= 100))) missed = true
    }
  }
  console.log(`\ntargets (shared reads on): p99 < 100 ms at 200 connections, no failed request, at most ${POOL_SIZE} connections per login to the target`)
  if (missed) process.exitCode = 1
} finally {
  cluster.stop()
  rmSync(workDir, { recursive: true, force: true })
}
