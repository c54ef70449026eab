// Times the backup inventory over 1,000 files of every kind (plain, gzip, zstd, custom, tar, with
// random and seed-style names, plus non-dumps) on first look (every file sniffed and read back) and
// warm (sniffed, checks from the console's cache), against `ls -l` of the same directory: what an
// admin would otherwise run. Run: npx tsx bench/inventory.bench.ts (BENCH_FILES=200 on a slow machine).
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { gzipSync } from 'node:zlib'
import pg from 'pg'
import { startCluster } from '~scripts/pg-cluster'
import { listBackups } from '~server/backups/inventory'
import { targetConfigSchema } from '~server/config/schema'
import { migrateConsole } from '~server/database/migrate-console'

const FILES = Number(process.env.BENCH_FILES ?? 1000)
const RUNS = 5
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function main() {
  const c = await startCluster()
  const work = mkdtempSync(join(tmpdir(), 'dbsafe-bench-inventory-'))
  try {
    const admin = new pg.Client(c.adminUrl)
    await admin.connect()
    await admin.query('CREATE DATABASE bench_app')
    await admin.query('CREATE DATABASE bench_console')
    await admin.end()
    const app = new pg.Client(c.urlFor('bench_app'))
    await app.connect()
    await app.query(`CREATE TABLE users (id int PRIMARY KEY, email text); INSERT INTO users SELECT g, 'u' || g || '@example.org' FROM generate_series(1, 2000) g`)
    await app.end()
    const dump = (args: string[]) => execFileSync(join(c.binDir, 'pg_dump'), [...args, c.urlFor('bench_app')], { maxBuffer: 1 << 28 })
    const plain = dump([])
    const kinds: [string, Buffer][] = [
      ['.sql', plain], ['.sql.gz', gzipSync(plain)], ['.sql.zst', spawnSync('zstd', ['-q', '-c'], { input: plain }).stdout],
      ['.dump', dump(['-Fc'])], ['.tar', dump(['-Ft'])], ['.txt', Buffer.from('not a dump\n')],
    ]
    const dir = join(work, 'backups')
    mkdirSync(dir)
    for (let i = 0; i < FILES; i++) {
      const [ext, bytes] = kinds[i % kinds.length]
      const stamp = new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15)
      writeFileSync(join(dir, i % 2 ? `db_backup_${stamp}${ext}` : `x${i.toString(36)}${ext}`), bytes)
    }
    const consoleDb = new pg.Pool({ connectionString: c.urlFor('bench_console'), max: 4 })
    await migrateConsole(consoleDb)
    const target = targetConfigSchema.parse({ id: 'bench', label: 'Bench', envFile: join(work, 'app.env'), migrationsDir: work, backupsDir: dir, retentionDays: 7 })

    let t = performance.now()
    const first = await listBackups(consoleDb, target, { binDir: c.binDir })
    const cold = performance.now() - t
    const warm: number[] = []
    for (let r = 0; r < RUNS; r++) {
      t = performance.now()
      await listBackups(consoleDb, target, { binDir: c.binDir })
      warm.push(performance.now() - t)
    }
    const ls: number[] = []
    for (let r = 0; r < RUNS; r++) {
      t = performance.now()
      execFileSync('ls', ['-l', '--full-time', dir])
      ls.push(performance.now() - t)
    }
    await consoleDb.end()
    console.log(`${FILES} files, ${first.length} dumps listed (${kinds.length - 1} of ${kinds.length} kinds are dumps)`)
    console.log(`first look (sniff + read back every file): ${(cold / 1000).toFixed(2)} s`)
    console.log(`warm listing: median ${median(warm).toFixed(0)} ms; ls -l: median ${median(ls).toFixed(1)} ms; ratio ${(median(warm) / median(ls)).toFixed(1)}`)
  } finally {
    c.stop()
    rmSync(work, { recursive: true, force: true })
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
