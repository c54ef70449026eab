// A tracker given as the app's own SQL (ids in a JSON array in a config row), reads that cannot write, and a
// tracker that cannot be read: missing, or denied to the role dbsafe connects as.
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readTracker, trackedStatus } from '~server/migrations/trackers/index'
import type { MigrationSource } from '~server/migrations/trackers/types'
import { asSuperuser, cluster, createTestDatabase, queryRows } from '../support/db'

const CREARIS = `SELECT m.id FROM crearis_config c CROSS JOIN LATERAL jsonb_array_elements_text(c.config->'migrations_run') WITH ORDINALITY AS m(id, ord) WHERE c.id = 1 ORDER BY m.ord`
const module = (relPath: string, moduleId?: string): MigrationSource => ({ relPath, text: `export default { ${moduleId ? `id: '${moduleId}', ` : ''}up() {} }`, moduleId })

describe('the query tracker and unreadable trackers', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>
  beforeAll(async () => {
    db = await createTestDatabase('trk_query')
    await db.pool.query(`CREATE TABLE crearis_config (id int PRIMARY KEY, config jsonb NOT NULL);
      INSERT INTO crearis_config VALUES (1, '{"theme": "dark", "migrations_run": ["001_config_table", "002_users", "000_retired"]}'), (2, '{"migrations_run": ["999_other"]}')`)
  })
  afterAll(async () => { await db.drop() })
  const configRows = () => queryRows(db.url, 'SELECT id, config FROM crearis_config ORDER BY id')

  it('reads the ids from the JSON array in the config row, matching module ids first, then file names', async () => {
    const read = await readTracker(db.pool, { query: CREARIS }, '/unused')
    expect(read).toEqual({ ok: true, entries: [
      { id: '001_config_table', appliedAt: null }, { id: '002_users', appliedAt: null }, { id: '000_retired', appliedAt: null },
    ] })
    if (!read.ok) return
    // 001_init_schema.ts registers 001_config_table; 002_users.ts has no id of its own; 000_retired's file is gone.
    const sources = [module('001_init_schema.ts', '001_config_table'), module('002_users.ts'), module('003_orders.ts', '003_orders')]
    expect(trackedStatus({ query: CREARIS }, sources, read)).toEqual([
      { relPath: '001_init_schema.ts', id: '001_config_table', status: 'applied', appliedAt: null },
      { relPath: '002_users.ts', id: '002_users', status: 'applied', appliedAt: null },
      { relPath: '003_orders.ts', id: '003_orders', status: 'pending', appliedAt: null },
      { relPath: null, id: '000_retired', status: 'missing', appliedAt: null },
    ])
  })

  it('takes an optional second column as the applied-at time', async () => {
    const read = await readTracker(db.pool, { query: `SELECT * FROM (VALUES ('001_a', '2024-05-01T10:00:00Z'), ('002_b', NULL)) AS t(id, at)` }, '/unused')
    expect(read).toEqual({ ok: true, entries: [{ id: '001_a', appliedAt: new Date('2024-05-01T10:00:00Z') }, { id: '002_b', appliedAt: null }] })
  })

  it('runs the query in a read-only transaction with a statement timeout', async () => {
    const read = await readTracker(db.pool, { query: `SELECT current_setting('transaction_read_only') || ' ' || current_setting('statement_timeout')` }, '/unused')
    expect(read).toEqual({ ok: true, entries: [{ id: 'on 10s', appliedAt: null }] })
  })

  it.each([
    ['a second statement', `${CREARIS}; DELETE FROM crearis_config`, 'must be a single statement'],
    ['a COMMIT that would end the read-only transaction', `${CREARIS}; COMMIT; DELETE FROM crearis_config`, 'must be a single statement'],
    ['a data-modifying CTE', `WITH gone AS (DELETE FROM crearis_config RETURNING id) SELECT id::text FROM gone`, 'in a read-only transaction'],
    ['an UPDATE returning ids', `UPDATE crearis_config SET config = '{}' RETURNING id::text`, 'cannot execute UPDATE in a read-only transaction'],
  ])('refuses a query with %s, and nothing changes', async (_, query, reason) => {
    const before = await configRows()
    const read = await readTracker(db.pool, { query }, '/unused')
    expect(read).toMatchObject({ ok: false, code: 'error', cause: expect.stringMatching(/^Cannot read the tracker query \(.+\): /) })
    expect(read.ok === false && read.cause).toContain(reason)
    expect(await configRows()).toEqual(before)
  })

  it('says the tracker is missing, naming the table, when the tool never ran here', async () => {
    expect(await readTracker(db.pool, 'knex', '/unused')).toEqual({
      ok: false, code: 'missing', cause: 'Cannot read knex\'s table "knex_migrations": relation "knex_migrations" does not exist.',
    })
    expect(await readTracker(db.pool, 'drizzle', '/unused')).toMatchObject({ ok: false, code: 'error', cause: expect.stringContaining('_journal.json') })
    expect(await readTracker(db.pool, { query: 'SELECT id FROM app_migrations' }, '/unused')).toEqual({
      ok: false, code: 'missing', cause: 'Cannot read the tracker query (SELECT id FROM app_migrations): relation "app_migrations" does not exist.',
    })
  })

  it('says the tracker is denied when the role cannot read it, and leaves the pool usable', async () => {
    const role = `trk_${randomBytes(4).toString('hex')}`
    const password = randomBytes(12).toString('hex')
    await asSuperuser(db.url, `CREATE ROLE ${role} LOGIN PASSWORD '${password}';
      CREATE TABLE knex_migrations (id serial PRIMARY KEY, name varchar(255), batch int, migration_time timestamptz);
      INSERT INTO knex_migrations (name, batch, migration_time) VALUES ('20240101_users.js', 1, now())`)
    const pool = new pg.Pool({ connectionString: cluster().urlFor(db.name, role, password), max: 1 })
    try {
      const denied = await readTracker(pool, 'knex', '/unused')
      expect(denied).toEqual({ ok: false, code: 'denied', cause: 'Cannot read knex\'s table "knex_migrations": permission denied for table knex_migrations.' })
      expect(denied.ok === false && denied.cause).not.toContain(password)
      // The one connection went back to the pool after the failed read.
      await asSuperuser(db.url, `GRANT SELECT ON knex_migrations TO ${role}`)
      expect(await readTracker(pool, 'knex', '/unused')).toMatchObject({ ok: true, entries: [{ id: '20240101_users.js' }] })
    } finally {
      await pool.end()
      await asSuperuser(db.url, `DROP TABLE knex_migrations; DROP ROLE ${role}`)
    }
  })
})
