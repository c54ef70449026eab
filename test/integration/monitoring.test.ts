import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { recordSizeSample, sizeHistory } from '~server/monitoring/samples'
import { monitoringSnapshot } from '~server/monitoring/snapshot'
import { asSuperuser, cluster, createConsoleDatabase, createTestDatabase } from '../support/db'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'
import { json } from '../support/http'
import { once } from '../support/once'

type TestDb = Awaited<ReturnType<typeof createTestDatabase>>

async function connect(url: string): Promise<{ client: pg.Client, pid: number }> {
  const client = new pg.Client(url)
  client.on('error', () => {})
  await client.connect()
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
  return { client, pid: rows[0].pid }
}

describe('monitoringSnapshot over a real server', () => {
  let db: TestDb
  beforeAll(async () => {
    db = await createTestDatabase('monitoring')
    await db.pool.query(`
      CREATE TABLE big (id int PRIMARY KEY, payload text);
      INSERT INTO big SELECT g, repeat('x', 200) FROM generate_series(1, 10000) g;
      CREATE TABLE contended (id int PRIMARY KEY, v int);
      INSERT INTO contended VALUES (1, 0);
      CREATE TABLE fresh (id int);
      ANALYZE big; ANALYZE contended;`)
  })
  afterAll(async () => { await db?.drop() })

  it('lists the largest tables with the sizes PostgreSQL reports and row estimates', async () => {
    const snap = await monitoringSnapshot(db.pool)
    const [big] = snap.largestTables
    const { rows } = await db.pool.query(`SELECT pg_total_relation_size('big')::float8 AS total, pg_table_size('big')::float8 AS t,
      pg_indexes_size('big')::float8 AS i, pg_database_size(current_database())::float8 AS db`)
    expect(big).toEqual({ schema: 'public', name: 'big', totalBytes: rows[0].total, tableBytes: rows[0].t, indexBytes: rows[0].i, rowEstimate: 10000, locked: false })
    expect(snap.largestTables.find((t) => t.name === 'fresh')).toMatchObject({ rowEstimate: null })
    expect(snap.largestTables.every((t) => t.schema !== 'pg_catalog' && t.schema !== 'information_schema')).toBe(true)
    expect(snap.database).toEqual({ name: db.name, sizeBytes: rows[0].db })
    expect(snap.access.seesAllSessions).toBe(true)
  })

  it('shows connections, a long query, an open transaction and who blocks whom, without waiting behind the lock', async () => {
    const sleeper = await connect(db.url)
    const holder = await connect(db.url)
    const rowWaiter = await connect(db.url)
    const tableWaiter = await connect(db.url)
    const observer = await connect(db.url)
    const limitedRole = `mon_${randomBytes(4).toString('hex')}`
    await asSuperuser(db.url, `CREATE ROLE ${limitedRole} LOGIN PASSWORD 'pw'`)
    const limited = new pg.Pool({ connectionString: cluster().urlFor(db.name, limitedRole, 'pw'), max: 4 })
    const sleeping = sleeper.client.query('SELECT pg_sleep(60)').catch((e: Error) => e)
    let waiting: Promise<unknown>[] = []
    try {
      await holder.client.query(`BEGIN; UPDATE contended SET v = v + 1 WHERE id = 1; LOCK TABLE big IN ACCESS EXCLUSIVE MODE`)
      waiting = [rowWaiter.client.query('UPDATE contended SET v = v + 1 WHERE id = 1'), tableWaiter.client.query('SELECT count(*) FROM big')]
        .map((p) => p.catch((e: Error) => e))

      const snap = await vi.waitFor(async () => {
        const s = await monitoringSnapshot(db.pool)
        expect(s.locksWaiting).toHaveLength(2)
        expect(s.longestQueries.map((q) => q.pid)).toContain(sleeper.pid)
        return s
      }, { timeout: 10_000, interval: 200 })

      const { rows } = await db.pool.query<{ max_connections: string }>('SHOW max_connections')
      expect(snap.connections.max).toBe(Number(rows[0].max_connections))
      expect(snap.connections.total).toBeGreaterThanOrEqual(4)
      expect(snap.connections.byState.reduce((n, s) => n + s.count, 0)).toBe(snap.connections.total)
      expect(snap.connections.byState.find((s) => s.state === 'idle in transaction')?.count).toBeGreaterThanOrEqual(1)
      expect(snap.connections.usedPercent).toBeCloseTo((snap.connections.total / snap.connections.max) * 100, 0)

      expect(snap.longestQueries.find((q) => q.pid === sleeper.pid)).toMatchObject({ query: 'SELECT pg_sleep(60)', state: 'active', database: db.name })
      expect(snap.longestQueries.every((q) => !q.query.includes('dbsafe:monitoring'))).toBe(true)
      expect(snap.openTransactions.find((t) => t.pid === holder.pid)).toMatchObject({ state: 'idle in transaction', query: expect.stringContaining('LOCK TABLE big') })
      expect(snap.openTransactions.every((t) => !t.query.includes('dbsafe:monitoring'))).toBe(true)
      // One read, this console's own sessions apart: every session counted idle in a transaction is listed among the open transactions.
      expect(snap.openTransactions.filter((t) => t.state === 'idle in transaction')).toHaveLength(
        snap.connections.byState.find((s) => s.state === 'idle in transaction')!.count)
      const ages = snap.openTransactions.map((t) => t.xactAgeMs)
      expect(ages).toEqual([...ages].sort((a, b) => b - a))

      expect(snap.locksWaiting.find((l) => l.pid === rowWaiter.pid)).toMatchObject({ lockType: 'transactionid', blockedBy: [holder.pid] })
      expect(snap.locksWaiting.find((l) => l.pid === tableWaiter.pid)).toMatchObject({
        relation: 'big', lockType: 'relation', mode: 'AccessShareLock', blockedBy: [holder.pid], query: 'SELECT count(*) FROM big',
      })
      // The locked table is sized from its statistics rather than by waiting behind the lock.
      expect(snap.largestTables.find((t) => t.name === 'big')).toMatchObject({ locked: true, totalBytes: expect.any(Number) })

      // A role without pg_monitor still counts every connection, but cannot see other roles' sessions.
      await monitoringSnapshot(limited) // opens the pool's connections, so the next one counts the same set
      const hidden = await monitoringSnapshot(limited)
      expect(hidden.access).toEqual({ user: limitedRole, seesAllSessions: false })
      const { rows: [all] } = await observer.client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE backend_type = 'client backend'`)
      expect(Math.abs(hidden.connections.total - all.n)).toBeLessThanOrEqual(1)
      expect(hidden.connections.byState.find((s) => s.state === 'unknown')?.count).toBeGreaterThanOrEqual(4)
      expect(hidden.longestQueries.map((q) => q.pid)).not.toContain(sleeper.pid)

      await holder.client.query('ROLLBACK')
      expect((await Promise.all(waiting)).every((r) => !(r instanceof Error))).toBe(true)
      expect((await monitoringSnapshot(db.pool)).locksWaiting).toEqual([])
    } finally {
      await db.pool.query('SELECT pg_cancel_backend($1)', [sleeper.pid])
      await sleeping
      await limited.end()
      await Promise.all([sleeper, holder, rowWaiter, tableWaiter, observer].map((c) => c.client.end()))
      await Promise.all(waiting)
      await asSuperuser(db.url, `DROP ROLE ${limitedRole}`)
    }
  })
})

describe('database size samples', () => {
  let consoleDb: TestDb
  const count = async (target: string) =>
    Number((await consoleDb.pool.query('SELECT count(*) FROM db_size_samples WHERE target = $1', [target])).rows[0].count)
  beforeAll(async () => {
    consoleDb = await createConsoleDatabase('monitoring_console')
  })
  afterAll(async () => { await consoleDb?.drop() })
  // Target "one"'s sample, which the history reads back: stored once, by the first test that needs it.
  const sampleOne = once(() => recordSizeSample(consoleDb.pool, 'one', 1000))

  it('stores at most one sample per target per interval, also when asked concurrently', async () => {
    expect(await sampleOne()).toBe(true)
    expect(await recordSizeSample(consoleDb.pool, 'one', 2000)).toBe(false)
    expect(await count('one')).toBe(1)

    const stored = await Promise.all(Array.from({ length: 6 }, (_, i) => recordSizeSample(consoleDb.pool, 'two', 100 + i)))
    expect(stored.filter(Boolean)).toHaveLength(1)
    expect(await count('two')).toBe(1)
    // Another target is not held back by the first.
    expect(await recordSizeSample(consoleDb.pool, 'three', 5)).toBe(true)
  })

  it('stores again once the interval has passed', async () => {
    await consoleDb.pool.query(`INSERT INTO db_size_samples (target, at, size_bytes) VALUES ('old', now() - interval '6 minutes', 1)`)
    expect(await recordSizeSample(consoleDb.pool, 'old', 2, 10)).toBe(false)
    expect(await recordSizeSample(consoleDb.pool, 'old', 3)).toBe(true)
    expect(await count('old')).toBe(2)
  })

  it('returns the history within the asked number of days, oldest first', async () => {
    await sampleOne()
    await consoleDb.pool.query(`INSERT INTO db_size_samples (target, at, size_bytes) VALUES ('one', now() - interval '40 days', 500)`)
    const month = await sizeHistory(consoleDb.pool, 'one')
    expect(month).toEqual([{ at: expect.any(String), sizeBytes: 1000 }])
    expect(Date.now() - Date.parse(month[0].at)).toBeLessThan(60_000)
    expect((await sizeHistory(consoleDb.pool, 'one', 60)).map((s) => s.sizeBytes)).toEqual([500, 1000])
    expect(await sizeHistory(consoleDb.pool, 'nobody')).toEqual([])
  })
})

describe('GET /api/targets/:target/monitoring and size-history', () => {
  let c: ConsoleFixture
  let cookie: string
  beforeAll(async () => {
    c = await startConsoleFixture()
    cookie = await c.login('admin', c.adminPassword)
  })
  afterAll(async () => { await c?.cleanup() })

  it('returns a snapshot, records a sample, validates days and 404s an unknown target', async () => {
    const res = await c.request('/api/targets/main/monitoring', { cookie })
    expect(res.status).toBe(200)
    const snap = await json(res)
    const t = c.targets[0]
    expect(snap).toMatchObject({
      takenAt: expect.any(String),
      database: { name: t.database, sizeBytes: expect.any(Number) },
      access: { user: t.appRole, seesAllSessions: false },
      connections: { total: expect.any(Number), max: expect.any(Number), reserved: expect.any(Number), usedPercent: expect.any(Number) },
      longestQueries: expect.any(Array), openTransactions: expect.any(Array), locksWaiting: [],
    })
    expect(snap.largestTables.map((x: any) => x.name)).toContain('things')

    const history = await c.request('/api/targets/main/monitoring/size-history?days=7', { cookie })
    expect(history.status).toBe(200)
    expect(await json(history)).toEqual([{ at: expect.any(String), sizeBytes: snap.database.sizeBytes }])
    expect(await json(await c.request('/api/targets/main/monitoring/size-history', { cookie }))).toHaveLength(1)

    for (const days of ['0', '366', 'abc', '1.5']) {
      const bad = await c.request(`/api/targets/main/monitoring/size-history?days=${days}`, { cookie })
      expect(bad.status).toBe(400)
      expect((await json(bad)).message).toContain('days')
    }
    for (const path of ['/api/targets/nope/monitoring', '/api/targets/nope/monitoring/size-history']) {
      const missing = await c.request(path, { cookie })
      expect(missing.status).toBe(404)
      expect((await json(missing)).message).toContain('nope')
    }
  })
})
