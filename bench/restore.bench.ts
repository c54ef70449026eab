// Times emergencyRestore (SKIP_MIGRATIONS, safety backup, restore into a new database, exact counts, owners and
// grants, swap) of a custom-format backup of the ~1 GB bench database against a bare `pg_restore` of the same file
// into a new database, as the same restore role with the same flags. Median of RUNS, ratio printed, with the
// median of each step. Run: npx tsx bench/restore.bench.ts (BENCH_ROWS=1000000 for a ~180 MB database).
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import type { RestoreStepName } from '~contract/restore'
import { startCluster } from '~scripts/pg-cluster'
import { takeBackup } from '~server/backups/take'
import { targetConfigSchema } from '~server/config/schema'
import { emergencyRestore } from '~server/restore/emergency'
import { dropLeftover } from '~server/restore/leftovers'

const RUNS = 3
const ROWS = Number(process.env.BENCH_ROWS ?? 6_000_000)
const DB = 'bench_restore'
const quiet = { log: () => {}, progress: () => {} }

// As backup.bench.ts: mostly incompressible text, ~180 MB per million rows; owned by a NOLOGIN owner, as in production.
const SETUP = `
SET ROLE bench_owner;
CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, payload text NOT NULL, at timestamptz NOT NULL);
INSERT INTO events SELECT g, (ARRAY['signup','login','order','refund'])[1 + g % 4], md5(g::text) || md5((g * 7)::text) || repeat('x', 40), now() - g * interval '1 second'
  FROM generate_series(1, ${ROWS}) g;
CREATE TABLE users (id int PRIMARY KEY, email text);
INSERT INTO users SELECT g, 'user' || g || '@example.org' FROM generate_series(1, 100000) g;
GRANT SELECT, INSERT, UPDATE, DELETE ON events, users TO bench_app;
RESET ROLE;`

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`

async function main() {
  const c = await startCluster()
  const work = mkdtempSync(join(tmpdir(), 'dbsafe-bench-restore-'))
  try {
    const admin = new pg.Client(c.adminUrl)
    await admin.connect()
    await admin.query(`CREATE ROLE bench_owner NOLOGIN; CREATE ROLE bench_app LOGIN PASSWORD 'bench-app';
      CREATE ROLE bench_restore LOGIN CREATEDB PASSWORD 'bench-restore'; GRANT bench_owner, pg_signal_backend TO bench_restore`)
    await admin.query(`CREATE DATABASE ${DB} OWNER bench_owner`)
    await admin.end()
    const db = new pg.Client(c.urlFor(DB))
    await db.connect()
    let t = performance.now()
    await db.query(`GRANT CREATE ON SCHEMA public TO bench_owner; ${SETUP}`)
    await db.query('VACUUM ANALYZE')
    const { rows: [{ size }] } = await db.query<{ size: string }>('SELECT pg_database_size(current_database())::bigint AS size')
    await db.end()
    console.log(`database: ${(Number(size) / 1024 / 1024).toFixed(1)} MB (${ROWS.toLocaleString('en')} + 100,000 rows), built in ${s(performance.now() - t)}`)

    const backupsDir = join(work, 'backups')
    mkdirSync(backupsDir)
    const envFile = join(work, 'app.env')
    writeFileSync(envFile, `DB_HOST=127.0.0.1\nDB_PORT=${c.port}\nDB_NAME=${DB}\nDB_USER=bench_app\nDB_PASSWORD=bench-app\nSKIP_MIGRATIONS=true\n`)
    const restoreUrl = c.urlFor('postgres', 'bench_restore', 'bench-restore')
    const target = targetConfigSchema.parse({
      id: 'bench', label: 'Bench', envFile, migrationsDir: work, backupsDir, backupDatabaseUrl: c.urlFor(DB), restoreDatabaseUrl: restoreUrl,
    })
    const backup = await takeBackup(target, { binDir: c.binDir, databaseUrl: target.backupDatabaseUrl }, quiet, 'bench')
    console.log(`backup: ${backup.file}, ${(backup.sizeBytes / 1024 / 1024).toFixed(1)} MB`)

    const ours: number[] = []
    const bare: number[] = []
    const steps = new Map<RestoreStepName, number[]>()
    for (let run = 1; run <= RUNS; run++) {
      t = performance.now()
      const result = await emergencyRestore(target, backup.file, { binDir: c.binDir }, quiet)
      ours.push(performance.now() - t)
      for (const step of result.steps) steps.set(step.step, [...steps.get(step.step) ?? [], step.durationMs ?? 0])
      // Keep the disk as it was: the set-aside database and the safety backup go.
      await dropLeftover(target, result.setAside!)
      rmSync(join(backupsDir, result.safetyBackup!.file), { recursive: true })
      rmSync(join(backupsDir, `${result.safetyBackup!.file}.manifest.json`))

      t = performance.now()
      await bareRestore(c.binDir, restoreUrl, join(backupsDir, backup.file), `bench_bare_${run}`)
      bare.push(performance.now() - t)
      await withAdmin(c.adminUrl, `DROP DATABASE bench_bare_${run}`)
      console.log(`run ${run}: emergencyRestore ${s(ours.at(-1)!)} (${result.steps.map((x) => `${x.step} ${s(x.durationMs ?? 0)}`).join(', ')}), `
        + `bare pg_restore ${s(bare.at(-1)!)}`)
    }
    const restoreStep = median(steps.get('restore')!)
    console.log(`median emergencyRestore ${s(median(ours))}, median bare CREATE DATABASE + pg_restore ${s(median(bare))}, ratio ${(median(ours) / median(bare)).toFixed(2)}`)
    console.log(`median per step: ${[...steps].map(([step, ms]) => `${step} ${s(median(ms))}`).join(', ')}`)
    const withoutSafety = median(ours.map((ms, i) => ms - steps.get('safety-backup')![i]))
    console.log(`without the safety backup (a pg_dump of the live database, never skipped): ${s(withoutSafety)}, ratio ${(withoutSafety / median(bare)).toFixed(2)}`)
    console.log(`the restore step alone / bare pg_restore: ${(restoreStep / median(bare)).toFixed(2)}`)
  } finally {
    rmSync(work, { recursive: true, force: true })
    c.stop()
  }
}

// The same file, role and pg_restore flags as the console's restore step, without the console around it.
async function bareRestore(binDir: string, url: string, file: string, database: string): Promise<void> {
  const u = new URL(url)
  await withAdmin(url, `CREATE DATABASE ${database} TEMPLATE template0`)
  await new Promise<void>((resolve, reject) => {
    const child = spawn(join(binDir, 'pg_restore'), ['--no-owner', '--no-privileges', '--exit-on-error', '-h', u.hostname, '-p', u.port,
      '-U', decodeURIComponent(u.username), '-d', database, file], { env: { ...process.env, PGPASSWORD: decodeURIComponent(u.password) }, stdio: ['ignore', 'ignore', 'inherit'] })
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`pg_restore exited ${code}`))))
  })
}

async function withAdmin(url: string, sql: string): Promise<void> {
  const client = new pg.Client(url)
  await client.connect()
  try { await client.query(sql) } finally { await client.end() }
}

await main()
