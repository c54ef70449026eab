// Console cold start: process spawn → first 200 from /api/health (config validated, console schema
// migrated, admin bootstrapped). Baseline in the same run: one `psql -c 'select 1'` against the same server.
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { freePort, startCluster } from '~scripts/pg-cluster'

const RUNS = 7
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

const cluster = await startCluster()
try {
  const admin = new pg.Client(cluster.adminUrl)
  await admin.connect()
  const dir = mkdtempSync(join(tmpdir(), 'dbsafe-bench-'))
  const config = join(dir, 'dbsafe.config.json')
  writeFileSync(config, JSON.stringify({ targets: [{ id: 'main', label: 'Main', envFile: join(dir, '.env'), migrationsDir: dir, backupsDir: dir }] }))
  const starts: number[] = []
  for (let i = 0; i < RUNS; i++) {
    // A fresh console database each run: the first start also creates the schema.
    await admin.query(`CREATE DATABASE console_${i}`)
    const port = await freePort()
    const t0 = performance.now()
    const child = spawn(process.execPath, ['.output/server/index.mjs'], {
      env: { ...process.env, DBSAFE_CONFIG: config, DBSAFE_DATABASE_URL: cluster.urlFor(`console_${i}`), DBSAFE_ADMIN_PASSWORD: 'bench-admin-pw', PORT: String(port) },
      stdio: 'ignore',
    })
    while (!(await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false))) await new Promise((r) => setTimeout(r, 10))
    starts.push(performance.now() - t0)
    child.kill()
    await new Promise((r) => child.once('exit', r))
  }
  await admin.end()
  const url = new URL(cluster.adminUrl)
  const psql: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now()
    spawnSync(join(cluster.binDir, 'psql'), ['-h', url.hostname, '-p', url.port, '-U', 'postgres', '-d', 'postgres', '-Atc', 'select 1'],
      { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) } })
    psql.push(performance.now() - t0)
  }
  const a = median(starts)
  const b = median(psql)
  console.log(`console cold start (spawn → /api/health 200, fresh console DB): median ${a.toFixed(0)} ms over ${RUNS} runs`)
  console.log(`psql -c 'select 1' (baseline):                                 median ${b.toFixed(0)} ms`)
  console.log(`ratio: ${(a / b).toFixed(1)}x`)
} finally {
  cluster.stop()
}
