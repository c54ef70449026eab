import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lintSql } from '~server/migrations/lint/lint'
import { lintSqlLive } from '~server/migrations/lint/live'
import { createTestDatabase } from '../support/db'

let db: Awaited<ReturnType<typeof createTestDatabase>>

beforeAll(async () => {
  db = await createTestDatabase('lint_live')
  await db.pool.query(`
    CREATE FUNCTION make_code() RETURNS text VOLATILE LANGUAGE sql AS $$ SELECT md5(random()::text) $$;
    CREATE FUNCTION fixed_code() RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT 'A-1' $$;
    CREATE SCHEMA billing;
    CREATE FUNCTION billing.region() RETURNS text STABLE LANGUAGE sql AS $$ SELECT current_setting('app.region', true) $$;
    -- Overloads of one name: the volatile one decides.
    CREATE FUNCTION code_for(int) RETURNS text IMMUTABLE LANGUAGE sql AS $$ SELECT $1::text $$;
    CREATE FUNCTION code_for() RETURNS text VOLATILE LANGUAGE sql AS $$ SELECT random()::text $$;
    CREATE TABLE orders (id int, ref varchar(10), total numeric(10,2));
    INSERT INTO orders SELECT g, 'r' || g, g FROM generate_series(1, 1000) g;
    CREATE TABLE drafts (id int);
    CREATE TABLE fresh (id int);
    INSERT INTO fresh VALUES (1);
    ANALYZE orders; ANALYZE drafts;`)
})
afterAll(async () => { await db.drop() })

const rulesOf = async (sql: string) => (await lintSqlLive(db.pool, sql)).map((f) => f.rule)

describe('defaults: the function\'s volatility from pg_proc', () => {
  it('flags a user-defined VOLATILE function as a rewrite, with the table\'s size', async () => {
    const findings = await lintSqlLive(db.pool, 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS code text DEFAULT make_code();')
    expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(/^ADD COLUMN code with the volatile default make_code\(\) rewrites orders \(\d+ kB, ~1k rows\) under an ACCESS EXCLUSIVE lock/)])
  })

  it.each([
    ['an IMMUTABLE function', 'fixed_code()'],
    ['a schema-qualified STABLE function', 'billing.region()'],
  ])('does not flag %s', async (_what, call) => {
    expect(await rulesOf(`ALTER TABLE orders ADD COLUMN IF NOT EXISTS code text DEFAULT ${call};`)).toEqual([])
  })

  it('takes the most volatile overload of a name', async () => {
    expect(await rulesOf('ALTER TABLE orders ADD COLUMN IF NOT EXISTS code text DEFAULT code_for();')).toEqual(['add-column-volatile-default'])
  })

  it('says so when the function is not on the target', async () => {
    const [f] = await lintSqlLive(db.pool, 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS code text DEFAULT not_yet_created();')
    expect(f.message).toContain('the function is not on the target yet, so its volatility could not be checked')
  })

  it('the volatile default really rewrites the table, the immutable one does not', async () => {
    expect(await rewrites('ALTER TABLE orders ADD COLUMN c text DEFAULT fixed_code()')).toBe(false)
    expect(await rewrites('ALTER TABLE orders ADD COLUMN c text DEFAULT make_code()')).toBe(true)
  })
})

describe('NOT NULL without DEFAULT: whether the table is empty', () => {
  it('does not flag a table analysed empty', async () => {
    expect(await rulesOf('ALTER TABLE drafts ADD COLUMN IF NOT EXISTS region text NOT NULL;')).toEqual([])
  })

  it('flags a table with rows, with its row estimate', async () => {
    const [f] = await lintSqlLive(db.pool, 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS region text NOT NULL;')
    expect(f.rule).toBe('add-column-not-null-no-default')
    expect(f.message).toMatch(/^ADD COLUMN region NOT NULL without a DEFAULT fails on orders \(\d+ kB, ~1k rows\): existing rows would hold NULL/)
    await expect(db.pool.query('ALTER TABLE orders ADD COLUMN region text NOT NULL')).rejects.toThrow(/contains null values/)
  })

  it('flags a table never analysed: its row count is unknown', async () => {
    const [f] = await lintSqlLive(db.pool, 'ALTER TABLE fresh ADD COLUMN IF NOT EXISTS region text NOT NULL;')
    expect(f.message).toContain('fails on fresh (8 kB) if it has any row (it was never analysed, so its row count is unknown)')
  })
})

describe('type changes: pg_cast and typmods', () => {
  it.each([
    ['varchar(10) → text (binary-coercible)', 'ref TYPE text'],
    ['varchar(10) → varchar(20) (widens)', 'ref TYPE varchar(20)'],
    ['varchar(10) → varchar (drops the limit)', 'ref TYPE varchar'],
    ['numeric(10,2) → numeric(12,2) (widens)', 'total TYPE numeric(12,2)'],
  ])('%s is not destructive with live facts, and PostgreSQL keeps the table as it is', async (_what, change) => {
    const sql = `ALTER TABLE orders ALTER COLUMN ${change};`
    expect((await lintSql(sql)).map((f) => f.rule)).toEqual(['alter-column-type'])
    expect(await rulesOf(sql)).toEqual([])
    expect(await rewrites(sql)).toBe(false)
  })

  it.each([
    ['varchar(10) → varchar(5) (narrows)', 'ref TYPE varchar(5)'],
    ['numeric(10,2) → numeric(12,4) (changes the scale)', 'total TYPE numeric(12,4)'],
    ['int → bigint', 'id TYPE bigint'],
  ])('%s stays destructive', async (_what, change) => {
    expect(await rulesOf(`ALTER TABLE orders ALTER COLUMN ${change};`)).toEqual(['alter-column-type'])
  })
})

/** Runs the statement in a rolled-back transaction: did PostgreSQL write the table anew? */
async function rewrites(sql: string): Promise<boolean> {
  const client = await db.pool.connect()
  try {
    const filenode = async () => (await client.query(`SELECT relfilenode FROM pg_class WHERE oid = 'orders'::regclass`)).rows[0].relfilenode
    await client.query('BEGIN')
    const before = await filenode()
    await client.query(sql)
    return (await filenode()) !== before
  } finally {
    await client.query('ROLLBACK')
    client.release()
  }
}
