import { describe, expect, it } from 'vitest'
import { lintSql } from '~server/migrations/lint/lint'
import { ruleCases } from '../support/lint-cases'

const flagged: [string, string][] = [
  ['create-index-non-concurrent', 'CREATE INDEX IF NOT EXISTS events_at ON events (at)'],
  ['create-index-non-concurrent', 'CREATE UNIQUE INDEX IF NOT EXISTS users_email ON public.users (email)'],
  ['drop-index-non-concurrent', 'DROP INDEX IF EXISTS events_at'],
  ['add-constraint-without-not-valid', 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id)'],
  ['add-constraint-without-not-valid', 'ALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0)'],
  ['set-not-null', 'ALTER TABLE orders ALTER COLUMN user_id SET NOT NULL'],
  ['add-column-volatile-default', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS token float8 DEFAULT random()'],
  ['add-column-volatile-default', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS seen timestamptz DEFAULT clock_timestamp()'],
  ['add-column-volatile-default', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS uid uuid NOT NULL DEFAULT public.gen_random_uuid()'],
  ['add-column-volatile-default', "ALTER TABLE orders ADD COLUMN IF NOT EXISTS n bigint DEFAULT nextval('order_n')"],
  ['add-column-volatile-default', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS n bigserial'],
  ['add-column-volatile-default', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS n int GENERATED ALWAYS AS IDENTITY'],
  ['rename', 'ALTER TABLE orders RENAME TO purchases'],
  ['rename', 'ALTER TABLE orders RENAME COLUMN total TO amount'],
  ['vacuum-full', 'VACUUM FULL events'],
  ['vacuum-full', 'VACUUM (FULL, ANALYZE) events'],
  ['cluster', 'CLUSTER events USING events_at'],
  ['lock-table', 'LOCK TABLE events IN ACCESS EXCLUSIVE MODE'],
  ['lock-table', 'LOCK events'],
]

const notFlagged: [string, string][] = [
  ['create-index-non-concurrent', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS events_at ON events (at)'],
  ['create-index-non-concurrent', 'CREATE TABLE IF NOT EXISTS events (id int, at timestamptz);\nCREATE INDEX IF NOT EXISTS events_at ON events (at);'],
  ['create-index-non-concurrent', 'CREATE TABLE IF NOT EXISTS app.events (id int);\nCREATE INDEX IF NOT EXISTS events_id ON app.events (id);'],
  ['drop-index-non-concurrent', 'DROP INDEX CONCURRENTLY IF EXISTS events_at'],
  ['drop-index-non-concurrent', 'CREATE TABLE IF NOT EXISTS t (x int);\nCREATE INDEX IF NOT EXISTS t_x ON t (x);\nDROP INDEX t_x;'],
  ['add-constraint-without-not-valid', 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID'],
  ['add-constraint-without-not-valid', 'ALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0) NOT VALID'],
  ['add-constraint-without-not-valid', 'ALTER TABLE orders VALIDATE CONSTRAINT positive'],
  ['add-constraint-without-not-valid', 'CREATE TABLE IF NOT EXISTS orders (total int);\nALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0);'],
  ['set-not-null', 'ALTER TABLE orders ALTER COLUMN user_id DROP NOT NULL'],
  ['set-not-null', 'CREATE TABLE IF NOT EXISTS orders (user_id int);\nALTER TABLE orders ALTER COLUMN user_id SET NOT NULL;'],
  ['add-column-volatile-default', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now()'],
  ['add-column-volatile-default', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS created_at timestamptz DEFAULT current_timestamp'],
  ['add-column-volatile-default', "ALTER TABLE orders ADD COLUMN IF NOT EXISTS status text NOT NULL DEFAULT 'new'"],
  ['add-column-volatile-default', 'ALTER TABLE orders ALTER COLUMN token SET DEFAULT random()'],
  ['rename', 'ALTER INDEX orders_pkey RENAME TO purchases_pkey'],
  ['rename', 'CREATE TABLE IF NOT EXISTS draft (a int);\nALTER TABLE draft RENAME COLUMN a TO b;'],
  ['vacuum-full', 'VACUUM events'],
  ['vacuum-full', 'ANALYZE events'],
  ['lock-table', 'SELECT * FROM events FOR UPDATE'],
]

describe('locking and risky rules', () => {
  ruleCases('warning', flagged, notFlagged)
})

describe('live-aware messages', () => {
  const GB = 1024 ** 3

  it('names the size and row estimate of the table it locks', async () => {
    const tableStats = new Map([['events', { sizeBytes: 12 * GB, rowEstimate: 50_000_000 }]])
    const [f] = (await lintSql('CREATE INDEX IF NOT EXISTS events_at ON events (at);', { tableStats })).filter((x) => x.rule === 'create-index-non-concurrent')
    expect(f.message).toMatch(/^CREATE INDEX on events \(12 GB, ~50M rows\) blocks writes/)
    expect(f.tables).toEqual(['events'])
  })

  it('matches schema-qualified names as written', async () => {
    const tableStats = new Map([['app.orders', { sizeBytes: 3.5 * 1024 ** 2, rowEstimate: 1234 }]])
    const [f] = (await lintSql('ALTER TABLE app.orders ALTER COLUMN total SET NOT NULL;', { tableStats }))
    expect(f.message).toContain('app.orders (3.5 MB, ~1.2k rows)')
  })

  it('gives only the size when the table was never analyzed', async () => {
    const tableStats = new Map([['events', { sizeBytes: 8192, rowEstimate: -1 }]])
    const [f] = await lintSql('VACUUM FULL events;', { tableStats })
    expect(f.message).toContain('VACUUM FULL rewrites events (8 kB) under an ACCESS EXCLUSIVE lock')
  })

  it('names the table alone when nothing is known about it', async () => {
    const [f] = await lintSql('TRUNCATE orders;')
    expect(f.message).toBe('TRUNCATE orders deletes every row.')
    expect(f.tables).toEqual(['orders'])
  })
})
