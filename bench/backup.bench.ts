// Times takeBackup (custom format, with its row counts, hashing, fsync and manifest) against a bare
// `pg_dump -Fc` to a file and against the seed's way (`pg_dump | gzip > file`) on the same ~1 GB
// database, samples the console's RSS during takeBackup to show that memory stays flat whatever the
// dump size, and times a restore test of the result. Run: npx tsx bench/backup.bench.ts
// (BENCH_ROWS=1000000 for a ~180 MB database on a slow machine).
import { spawn } from 'node:child_process'
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import pg from 'pg'
import { startCluster } from '~scripts/pg-cluster'
import { takeBackup } from '~server/backups/take'
import { verifyBackup } from '~server/backups/verify'
import { migrateConsole } from '~server/database/migrate-console'
import { targetConfigSchema } from '~server/config/schema'

const RUNS = 3
const ROWS = Number(process.env.BENCH_ROWS ?? 6_000_000)
const DB = 'bench_backup'

// Rows of mostly incompressible text (md5 hex) plus a compressible column: ~180 MB per million rows on disk.
const SETUP = `
CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, payload text NOT NULL, at timestamptz NOT NULL);
INSERT INTO events SELECT g, (ARRAY['signup','login','order','refund'])[1 + g % 4], md5(g::text) || md5((g * 7)::text) || repeat('x', 40), now() - g * interval '1 second'
  FROM generate_series(1, ${ROWS}) g;
CREATE TABLE users (id int PRIMARY KEY, email text);
INSERT INTO users SELECT g, 'user' || g || '@example.org' FROM generate_series(1, 100000) g;`

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)

async function main() {
  const c = await startCluster()
  const work = mkdtempSync(join(tmpdir(), 'dbsafe-bench-backup-'))
  try {
    const admin = new pg.Client(c.adminUrl)
    await admin.connect()
    await admin.query(`CREATE DATABASE ${DB}`)
    await admin.end()
    const db = new pg.Client(c.urlFor(DB))
    await db.connect()
    let t = performance.now()
    await db.query(SETUP)
    await db.query('VACUUM ANALYZE')
    const { rows: [{ size }] } = await db.query<{ size: string }>('SELECT pg_database_size(current_database())::bigint AS size')
    await db.end()
    console.log(`database: ${mb(Number(size))} MB (${ROWS.toLocaleString('en')} + 100,000 rows), built in ${((performance.now() - t) / 1000).toFixed(1)} s`)

    const url = new URL(c.adminUrl)
    const backupsDir = join(work, 'backups')
    mkdirSync(backupsDir)
    const envFile = join(work, 'app.env')
    writeFileSync(envFile, `DB_HOST=${url.hostname}\nDB_PORT=${c.port}\nDB_NAME=${DB}\nDB_USER=${decodeURIComponent(url.username)}\nDB_PASSWORD=${decodeURIComponent(url.password)}\n`)
    const target = targetConfigSchema.parse({ id: 'bench', label: 'Bench', envFile, migrationsDir: work, backupsDir, retentionDays: 7 })

    // One untimed run first: loading modules and first-use allocations are not the dump's memory.
    const warm = await takeBackup(target, { binDir: c.binDir }, { log: () => {}, progress: () => {} }, 'bench')
    rmSync(join(backupsDir, warm.file))
    rmSync(join(backupsDir, `${warm.file}.manifest.json`))

    const ours: number[] = []
    const bare: number[] = []
    const seedWay: number[] = []
    const peaks: number[] = []
    const phases: number[][] = []
    let dumpBytes = 0
    for (let run = 1; run <= RUNS; run++) {
      const baseline = process.memoryUsage().rss
      let peak = baseline
      const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss) }, 20)
      const marks: Record<string, number> = {}
      const log = (line: string) => {
        const now = performance.now()
        if (line.startsWith('counted rows')) marks.counted = now
        if (line.startsWith('pg_dump:')) marks.dumpEnd = now
        if (line.startsWith('wrote ')) marks.wrote = now
      }
      t = performance.now()
      const manifest = await takeBackup(target, { binDir: c.binDir }, { log, progress: () => {} }, 'bench')
      ours.push(performance.now() - t)
      phases.push([marks.counted - t, marks.dumpEnd - t, marks.wrote - marks.dumpEnd])
      clearInterval(sampler)
      peaks.push(peak - baseline)
      dumpBytes = manifest.sizeBytes
      rmSync(join(backupsDir, manifest.file))
      rmSync(join(backupsDir, `${manifest.file}.manifest.json`))

      const file = join(work, 'bare.dump')
      t = performance.now()
      await pgDumpToFile(c.binDir, url, DB, file)
      bare.push(performance.now() - t)
      rmSync(file)
      t = performance.now()
      await pgDumpGzipToFile(c.binDir, url, DB, `${file}.sql.gz`)
      seedWay.push(performance.now() - t)
      rmSync(`${file}.sql.gz`)
      const [counted, dump, finish] = phases.at(-1)!.map((ms) => (ms / 1000).toFixed(2))
      console.log(`run ${run}: takeBackup ${(ours.at(-1)! / 1000).toFixed(2)} s (exact counts ready at ${counted} s, beside the dump; pg_dump done at ${dump} s; `
        + `fsync, rename, manifest ${finish} s), pg_dump -Fc ${(bare.at(-1)! / 1000).toFixed(2)} s, pg_dump | gzip ${(seedWay.at(-1)! / 1000).toFixed(2)} s, RSS peak +${mb(peaks.at(-1)!)} MB`)
    }
    console.log(`dump size: ${mb(dumpBytes)} MB`)
    console.log(`median takeBackup ${(median(ours) / 1000).toFixed(2)} s, median pg_dump -Fc ${(median(bare) / 1000).toFixed(2)} s, ratio ${(median(ours) / median(bare)).toFixed(2)}`)
    console.log(`median pg_dump | gzip (the seed's way) ${(median(seedWay) / 1000).toFixed(2)} s, ratio takeBackup / seed's way ${(median(ours) / median(seedWay)).toFixed(2)}`)
    console.log(`RSS during takeBackup: at most +${mb(Math.max(...peaks))} MB over the process's ${mb(process.memoryUsage().rss)} MB, for a ${mb(dumpBytes)} MB dump`)

    // A restore test of one more backup: restore into a scratch database, compare every table's row count.
    const consoleAdmin = new pg.Client(c.adminUrl)
    await consoleAdmin.connect()
    await consoleAdmin.query('CREATE DATABASE bench_console')
    await consoleAdmin.end()
    const consoleDb = new pg.Pool({ connectionString: c.urlFor('bench_console'), max: 2 })
    await migrateConsole(consoleDb)
    const last = await takeBackup(target, { binDir: c.binDir }, { log: () => {}, progress: () => {} }, 'bench')
    t = performance.now()
    const verified = await verifyBackup(consoleDb, target, last.file, { binDir: c.binDir }, { log: () => {}, progress: () => {} })
    console.log(`restore test of the ${mb(last.sizeBytes)} MB dump: ${verified.ok ? 'verified' : `FAILED (${verified.problem})`} in ${((performance.now() - t) / 1000).toFixed(1)} s`)
    await consoleDb.end()
  } finally {
    rmSync(work, { recursive: true, force: true })
    c.stop()
  }
}

// The password goes in the child's environment, never in its argv.
function pgDumpToFile(binDir: string, url: URL, database: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(binDir, 'pg_dump'), ['-Fc', '-h', url.hostname, '-p', url.port, '-U', decodeURIComponent(url.username), '-f', file, database],
      { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) }, stdio: ['ignore', 'ignore', 'inherit'] })
    child.on('error', reject)
    child.on('close', (code) => (code === 0 && statSync(file).size > 0 ? resolve() : reject(new Error(`pg_dump exited ${code}`))))
  })
}

// The seed's backup script: plain SQL through gzip.
function pgDumpGzipToFile(binDir: string, url: URL, database: string, file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const dump = spawn(join(binDir, 'pg_dump'), ['-h', url.hostname, '-p', url.port, '-U', decodeURIComponent(url.username), database],
      { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) }, stdio: ['ignore', 'pipe', 'inherit'] })
    const gzip = spawn('gzip', ['-c'], { stdio: ['pipe', 'pipe', 'inherit'] })
    dump.stdout.pipe(gzip.stdin)
    const out = createWriteStream(file)
    gzip.stdout.pipe(out)
    dump.on('error', reject)
    gzip.on('error', reject)
    out.on('close', () => (statSync(file).size > 0 ? resolve() : reject(new Error('empty gzip output'))))
  })
}

await main()
