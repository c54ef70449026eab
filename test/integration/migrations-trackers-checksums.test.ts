// Prisma and Drizzle, the tools that record a checksum of each migration, run for real: applied and pending as
// the tool says, a failed Prisma migration, an edited file (drift) and a deleted one (missing).
import { spawnSync } from 'node:child_process'
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { readTracker, trackedStatus } from '~server/migrations/trackers/index'
import { createTestDatabase, emptyDatabase } from '../support/db'
import { dbsafeStatus, sourcesIn, tempDir } from '../support/trackers'

const resolve = createRequire(import.meta.url).resolve
const isSql = (name: string) => name.endsWith('.sql')

describe('Prisma tracker, against prisma migrate', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  let dir: string
  let migrationsDir: string
  beforeAll(async () => { db = await createTestDatabase('trk_prisma') })
  afterAll(async () => { await db.drop() })
  beforeEach(async () => {
    await emptyDatabase(db.pool)
    dir = await tempDir('prisma')
    migrationsDir = join(dir, 'prisma', 'migrations')
    await mkdir(migrationsDir, { recursive: true })
    await writeFile(join(dir, 'prisma', 'schema.prisma'), 'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n')
    await writeFile(join(migrationsDir, 'migration_lock.toml'), 'provider = "postgresql"\n')
    // Prisma's schema engine as WebAssembly over a driver adapter: the native engines are downloaded at install
    // time, which cannot happen here. The two variables point the CLI at an empty file instead of downloading them.
    await writeFile(join(dir, 'prisma.config.ts'), `import { defineConfig } from ${JSON.stringify(resolve('prisma/config'))}
import { PrismaPg } from ${JSON.stringify(resolve('@prisma/adapter-pg'))}
export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: 'prisma/schema.prisma',
  // A short idle timeout: the CLI exits when done instead of waiting 10 s for the pool's idle connections.
  async adapter() { return new PrismaPg({ connectionString: process.env.DATABASE_URL, idleTimeoutMillis: 100 }) },
})
`)
    await writeFile(join(dir, 'no-engine'), '')
  })

  const write = (name: string, sql: string) => mkdir(join(migrationsDir, name), { recursive: true }).then(() => writeFile(join(migrationsDir, name, 'migration.sql'), sql))
  const prismaCli = (...args: string[]) => {
    const noEngine = join(dir, 'no-engine')
    return spawnSync(process.execPath, [resolve('prisma/build/index.js'), ...args], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, DATABASE_URL: db.url, PRISMA_QUERY_ENGINE_LIBRARY: noEngine, PRISMA_SCHEMA_ENGINE_BINARY: noEngine, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' },
    })
  }
  const deploy = () => {
    const res = prismaCli('migrate', 'deploy')
    return { ok: res.status === 0, output: res.stdout + res.stderr }
  }
  /** `prisma migrate status`: every migration folder, then the database's ones not found locally, with the status its sections give. */
  const prismaStatus = async () => {
    const res = prismaCli('migrate', 'status')
    const status: Record<string, string> = {}
    for (const s of await sourcesIn(migrationsDir, isSql)) status[s.relPath.split('/')[0]] = 'applied'
    let section = ''
    for (const line of (res.stdout + res.stderr).split('\n')) {
      if (/not yet been applied:$/.test(line)) section = 'pending'
      else if (/have failed:$/.test(line)) section = 'failed'
      else if (/not found locally/.test(line)) section = 'missing'
      else if (section && /^\d{14}_\w+$/.test(line.trim())) status[line.trim()] = section
      else if (line.trim() === '') section = ''
    }
    return status
  }
  const dbsafe = async () => dbsafeStatus(db.pool, 'prisma', migrationsDir, await sourcesIn(migrationsDir, isSql))

  // One successful deploy for all of these: the CLI lingers 10 s after one (a timer its WebAssembly engine leaves behind).
  it('says applied, pending and missing as `prisma migrate status` does; an edited file is drifted, new line endings are not', async () => {
    await write('20240101000000_users', 'CREATE TABLE users (id int PRIMARY KEY);\n')
    await write('20240102000000_orders', 'CREATE TABLE orders (id int PRIMARY KEY);\n')
    await write('20240103000000_tags', 'CREATE TABLE tags (id int PRIMARY KEY);\n')
    expect(deploy().ok).toBe(true)
    await write('20240104000000_items', 'CREATE TABLE items (id int PRIMARY KEY);\n')
    const own = await prismaStatus()
    expect(own).toEqual({ '20240101000000_users': 'applied', '20240102000000_orders': 'applied', '20240103000000_tags': 'applied', '20240104000000_items': 'pending' })
    // Matching Prisma's recorded checksums is what keeps the applied ones from showing as drifted.
    expect(await dbsafe()).toEqual(own)

    await rm(join(migrationsDir, '20240102000000_orders'), { recursive: true })
    const afterDelete = await prismaStatus()
    expect(afterDelete).toEqual({ '20240101000000_users': 'applied', '20240102000000_orders': 'missing', '20240103000000_tags': 'applied', '20240104000000_items': 'pending' })
    expect(await dbsafe()).toEqual(afterDelete)

    await appendFile(join(migrationsDir, '20240101000000_users', 'migration.sql'), 'ALTER TABLE users ADD COLUMN email text;\n')
    const tags = join(migrationsDir, '20240103000000_tags', 'migration.sql')
    await writeFile(tags, (await readFile(tags, 'utf8')).replaceAll('\n', '\r\n'))
    // `prisma migrate status` does not compare checksums (only `migrate dev` does, with a shadow database).
    expect(await dbsafe()).toMatchObject({ '20240101000000_users': 'drifted', '20240103000000_tags': 'applied' })
  })

  it('shows a migration Prisma failed as failed, with the error Prisma logged', async () => {
    await write('20240101000000_users', 'CREATE TABLE users (id int PRIMARY KEY);\n')
    await write('20240102000000_broken', 'CREATE TABLE broken (id int);\nSELECT 1 / 0;\n')
    expect(deploy().ok).toBe(false)
    const own = await prismaStatus()
    expect(own).toEqual({ '20240101000000_users': 'applied', '20240102000000_broken': 'failed' })
    expect(await dbsafe()).toEqual(own)
    const read = await readTracker(db.pool, 'prisma', migrationsDir)
    if (!read.ok) throw new Error(read.cause)
    const broken = trackedStatus('prisma', await sourcesIn(migrationsDir, isSql), read).find((r) => r.id === '20240102000000_broken')
    expect(broken).toMatchObject({ status: 'failed', appliedAt: null, lastError: expect.stringContaining('division by zero') })
  })
})

describe('Drizzle tracker, against drizzle-kit and drizzle-orm\'s migrator', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  let dir: string
  beforeAll(async () => {
    db = await createTestDatabase('trk_drizzle')
    dir = await tempDir('drizzle')
    await writeFile(join(dir, 'schema.ts'), '')
  })
  afterAll(async () => { await db.drop() })

  const out = () => join(dir, 'drizzle')
  // What `drizzle-kit generate --custom` writes: `<idx>_<name>.sql` and its entry in meta/_journal.json.
  // Relative paths: drizzle-kit 0.31 misreads an absolute --out on its second run (and still exits 0).
  const generate = async (name: string, sql: string) => {
    const res = spawnSync(process.execPath, [join(dirname(resolve('drizzle-kit')), 'bin.cjs'), 'generate', '--custom', `--name=${name}`, '--dialect=postgresql', '--out=drizzle', '--schema=schema.ts'],
      { cwd: dir, encoding: 'utf8' })
    expect(res.status, res.stderr).toBe(0)
    expect(res.stderr).toBe('')
    const file = (await sourcesIn(out(), isSql)).map((s) => s.relPath).find((p) => p.endsWith(`_${name}.sql`))!
    await appendFile(join(out(), file), `\n${sql}\n`)
  }
  // Drizzle has no status command; its migrator applies every journal entry newer than the last row's created_at.
  const drizzleStatus = async () => {
    const { rows } = await db.pool.query('SELECT max(created_at)::bigint AS last FROM drizzle.__drizzle_migrations')
    const last = Number(rows[0].last)
    const journal = JSON.parse(await readFile(join(out(), 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string, when: number }[] }
    expect(readMigrationFiles({ migrationsFolder: out() }).map((m) => m.folderMillis)).toEqual(journal.entries.map((e) => e.when))
    return Object.fromEntries(journal.entries.map((e) => [e.tag, e.when <= last ? 'applied' : 'pending']))
  }
  const dbsafe = async () => dbsafeStatus(db.pool, 'drizzle', out(), await sourcesIn(out(), isSql))

  it('says applied and pending as the migrator would, matching rows to journal tags; an edited file is drifted, a deleted one missing', async () => {
    await generate('users', 'CREATE TABLE users (id int PRIMARY KEY);')
    await generate('orders', 'CREATE TABLE orders (id int PRIMARY KEY);')
    const client = await db.pool.connect()
    try {
      await migrate(drizzle(client), { migrationsFolder: out() })
    } finally {
      client.release()
    }
    await generate('items', 'CREATE TABLE items (id int PRIMARY KEY);')
    const own = await drizzleStatus()
    expect(own).toEqual({ '0000_users': 'applied', '0001_orders': 'applied', '0002_items': 'pending' })
    expect(await dbsafe()).toEqual(own)

    await appendFile(join(out(), '0000_users.sql'), 'ALTER TABLE users ADD COLUMN email text;\n')
    await rm(join(out(), '0001_orders.sql'))
    expect(await dbsafe()).toEqual({ '0000_users': 'drifted', '0002_items': 'pending', '0001_orders': 'missing' })
  })

  it('cannot map rows without the journal, and says so rather than showing everything pending', async () => {
    const bare = await tempDir('drizzle-bare')
    const read = await readTracker(db.pool, 'drizzle', bare)
    expect(read).toMatchObject({ ok: false, code: 'error', cause: expect.stringContaining('meta/_journal.json') })
  })
})
