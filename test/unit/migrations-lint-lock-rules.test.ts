import { describe, expect, it } from 'vitest'
import { lintSql, type LintContext } from '~server/migrations/lint/lint'
import { noQuestions, type LiveFacts, type TypeChangeFact } from '~server/migrations/lint/live-facts'
import { ruleCases } from '../support/lint-cases'

const flagged: [string, string][] = [
  ['add-constraint-builds-index', 'ALTER TABLE orders ADD PRIMARY KEY (id)'],
  ['add-constraint-builds-index', 'ALTER TABLE orders ADD CONSTRAINT orders_ref_key UNIQUE (ref)'],
  ['add-constraint-builds-index', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS ref text UNIQUE'],
  ['add-column-not-null-no-default', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS region text NOT NULL'],
  ['add-column-not-null-no-default', 'ALTER TABLE app.orders ADD COLUMN IF NOT EXISTS code int PRIMARY KEY'],
  ['add-column-generated-stored', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS cents bigint GENERATED ALWAYS AS (total * 100) STORED'],
  ['add-column-references', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS user_id bigint REFERENCES users (id)'],
  ['add-column-references', 'ALTER TABLE app.orders ADD COLUMN IF NOT EXISTS user_id bigint REFERENCES app.users'],
  ['validate-in-same-transaction', 'ALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0) NOT VALID; ALTER TABLE orders VALIDATE CONSTRAINT positive'],
  ['validate-in-same-transaction', 'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID; ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk'],
  ['data-change-under-lock', "ALTER TABLE orders ADD COLUMN IF NOT EXISTS region text; UPDATE orders SET region = 'eu' WHERE region IS NULL"],
  ['data-change-under-lock', 'ALTER TABLE orders DROP COLUMN IF EXISTS legacy; DELETE FROM orders WHERE total < 0'],
  ['concurrent-index-without-if-not-exists', 'CREATE INDEX CONCURRENTLY orders_at ON orders (at)'],
  ['concurrent-index-without-if-not-exists', 'CREATE UNIQUE INDEX CONCURRENTLY ON orders (ref)'],
  ['add-column-volatile-default', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS code text DEFAULT make_code()'],
  ['add-column-volatile-default', "ALTER TABLE orders ADD COLUMN IF NOT EXISTS code text DEFAULT lower(billing.next_ref('o'))"],
]

const notFlagged: [string, string][] = [
  ['add-constraint-builds-index', 'ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_id'],
  ['add-constraint-builds-index', 'ALTER TABLE orders ADD CONSTRAINT orders_ref_key UNIQUE USING INDEX orders_ref'],
  ['add-constraint-builds-index', 'CREATE TABLE IF NOT EXISTS orders (id int);\nALTER TABLE orders ADD PRIMARY KEY (id);'],
  ['add-constraint-builds-index', 'ALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0) NOT VALID'],
  ['add-column-not-null-no-default', "ALTER TABLE orders ADD COLUMN IF NOT EXISTS region text NOT NULL DEFAULT 'eu'"],
  ['add-column-not-null-no-default', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS region text'],
  ['add-column-not-null-no-default', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS n bigserial NOT NULL'],
  ['add-column-not-null-no-default', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS n int NOT NULL GENERATED ALWAYS AS IDENTITY'],
  ['add-column-not-null-no-default', 'ALTER TABLE orders ALTER COLUMN region SET NOT NULL'],
  ['add-column-not-null-no-default', 'CREATE TABLE IF NOT EXISTS orders (id int);\nALTER TABLE orders ADD COLUMN IF NOT EXISTS region text NOT NULL;'],
  ['add-column-generated-stored', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS cents bigint GENERATED ALWAYS AS (total * 100) VIRTUAL'],
  ['add-column-generated-stored', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS n int GENERATED ALWAYS AS IDENTITY'],
  ['add-column-generated-stored', 'CREATE TABLE IF NOT EXISTS orders (total int);\nALTER TABLE orders ADD COLUMN IF NOT EXISTS cents bigint GENERATED ALWAYS AS (total * 100) STORED;'],
  ['add-column-references', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS user_id bigint'],
  ['add-column-references', 'CREATE TABLE IF NOT EXISTS orders (id int);\nALTER TABLE orders ADD COLUMN IF NOT EXISTS user_id bigint REFERENCES users (id);'],
  ['validate-in-same-transaction', 'ALTER TABLE orders VALIDATE CONSTRAINT positive'],
  ['validate-in-same-transaction', 'ALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0) NOT VALID; ALTER TABLE invoices VALIDATE CONSTRAINT positive'],
  ['validate-in-same-transaction', 'ALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0) NOT VALID; COMMIT; ALTER TABLE orders VALIDATE CONSTRAINT positive'],
  ['data-change-under-lock', "UPDATE orders SET region = 'eu' WHERE id = 1; ALTER TABLE orders ADD COLUMN IF NOT EXISTS region text"],
  ['data-change-under-lock', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS region text; DELETE FROM invoices WHERE total < 0'],
  ['data-change-under-lock', 'ALTER TABLE orders VALIDATE CONSTRAINT positive; UPDATE orders SET total = 0 WHERE total < 0'],
  ['data-change-under-lock', "ALTER TABLE orders ADD COLUMN IF NOT EXISTS region text; COMMIT; UPDATE orders SET region = 'eu' WHERE region IS NULL"],
  ['data-change-under-lock', 'CREATE TABLE IF NOT EXISTS orders (id int, region text);\nALTER TABLE orders ADD COLUMN IF NOT EXISTS note text;\nUPDATE orders SET note = region WHERE id > 0;'],
  ['concurrent-index-without-if-not-exists', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_at ON orders (at)'],
  ['concurrent-index-without-if-not-exists', 'CREATE INDEX IF NOT EXISTS orders_at ON orders (at)'],
  ['concurrent-index-without-if-not-exists', 'DROP INDEX CONCURRENTLY IF EXISTS orders_at; CREATE INDEX CONCURRENTLY orders_at ON orders (at)'],
  ['add-column-volatile-default', "ALTER TABLE orders ADD COLUMN IF NOT EXISTS day date DEFAULT date_trunc('day', now())"],
  ['add-column-volatile-default', "ALTER TABLE orders ADD COLUMN IF NOT EXISTS meta jsonb DEFAULT jsonb_build_object('v', lower('X'))"],
  ['add-column-volatile-default', 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS at timestamptz DEFAULT pg_catalog.now()'],
  ['add-column-volatile-default', 'CREATE TABLE IF NOT EXISTS orders (id int);\nALTER TABLE orders ADD COLUMN IF NOT EXISTS code text DEFAULT make_code();'],
]

describe('lock and failure rules', () => {
  ruleCases('warning', flagged, notFlagged)
})

const find = async (sql: string, rule: string, context?: LintContext) => (await lintSql(sql, context)).find((f) => f.rule === rule)

describe('what the findings tell the reviewer', () => {
  it('names both lines when an UPDATE waits on an earlier ALTER of the same table', async () => {
    const sql = 'ALTER TABLE orders\n  ADD COLUMN IF NOT EXISTS region text;\nSELECT 1;\nUPDATE orders SET region = \'eu\' WHERE region IS NULL;'
    const f = await find(sql, 'data-change-under-lock')
    expect(f?.line).toBe(4)
    expect(f?.message).toContain('UPDATE of orders runs after the ALTER TABLE on line 1 in the same transaction')
  })

  it('points a VALIDATE at the line that added the constraint NOT VALID', async () => {
    const sql = 'SELECT 1;\nALTER TABLE orders ADD CONSTRAINT positive CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT positive;'
    const f = await find(sql, 'validate-in-same-transaction')
    expect(f?.line).toBe(3)
    expect(f?.message).toMatch(/^VALIDATE CONSTRAINT positive runs in the same transaction as the ALTER TABLE on line 2 /)
  })

  it('tells how to build the index before attaching it', async () => {
    const f = await find('ALTER TABLE orders ADD CONSTRAINT orders_ref_key UNIQUE (ref, region);', 'add-constraint-builds-index')
    expect(f?.message).toContain('CREATE UNIQUE INDEX CONCURRENTLY orders_ref_key ON orders (ref, region), then ADD CONSTRAINT orders_ref_key UNIQUE USING INDEX orders_ref_key')
  })

  it('suggests dropping the invalid index before a retry', async () => {
    const f = await find('CREATE INDEX CONCURRENTLY orders_at ON app.orders (at);', 'concurrent-index-without-if-not-exists')
    expect(f?.message).toContain('DROP INDEX CONCURRENTLY IF EXISTS app.orders_at before retrying')
  })
})

describe('NOT NULL without DEFAULT and the table\'s row estimate', () => {
  const sql = 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS region text NOT NULL;'
  const rule = 'add-column-not-null-no-default'
  const stats = (rowEstimate: number): LintContext => ({ tableStats: new Map([['orders', { sizeBytes: 16384, rowEstimate }]]) })

  it('says offline that it could not check whether the table is empty', async () => {
    expect((await find(sql, rule))?.message).toContain('fails on orders if it has any row (could not check whether it is empty without a live target)')
  })

  it('is silent on a table analysed empty', async () => {
    expect(await find(sql, rule, stats(0))).toBeUndefined()
  })

  it('shows the row estimate of a table with rows', async () => {
    expect((await find(sql, rule, stats(1200)))?.message).toMatch(/^ADD COLUMN region NOT NULL without a DEFAULT fails on orders \(16 kB, ~1.2k rows\): existing rows would hold NULL/)
  })

  it('treats a never-analysed table as possibly holding rows', async () => {
    expect((await find(sql, rule, stats(-1)))?.message).toContain('fails on orders (16 kB) if it has any row (it was never analysed')
  })
})

describe('defaults calling functions dbsafe does not know', () => {
  const sql = 'ALTER TABLE orders ADD COLUMN IF NOT EXISTS code text DEFAULT make_code();'
  const rule = 'add-column-volatile-default'
  const live = (volatility: LiveFacts['volatility']): LintContext => ({ facts: { volatility, typeChanges: new Map() } })

  it('asks the live target about the function and says offline that it could not', async () => {
    const questions = noQuestions()
    const f = await find(sql, rule, { questions })
    expect([...questions.functions]).toEqual(['make_code'])
    expect(f?.message).toContain('if make_code() is volatile, and could not check the function\'s volatility without a live target')
  })

  it.each(['immutable', 'stable'] as const)('is silent when the target says the function is %s', async (v) => {
    expect(await find(sql, rule, live(new Map([['make_code', v]])))).toBeUndefined()
  })

  it('says a volatile function rewrites the table', async () => {
    expect((await find(sql, rule, live(new Map([['make_code', 'volatile']]))))?.message).toMatch(/^ADD COLUMN code with the volatile default make_code\(\) rewrites orders under an ACCESS EXCLUSIVE lock/)
  })

  it('says when the function is not on the target yet', async () => {
    expect((await find(sql, rule, live(new Map())))?.message).toContain('the function is not on the target yet, so its volatility could not be checked')
  })
})

describe('type changes decided by the live catalog', () => {
  const fact = (f: Partial<TypeChangeFact>): TypeChangeFact => ({ sameType: false, binaryCast: false, lengthSupport: false, modifiers: [], ...f })
  const varchar10 = fact({ sameType: true, lengthSupport: true, modifiers: [10] })
  const numeric10 = fact({ sameType: true, lengthSupport: true, modifiers: [10, 2] })

  // What the first pass asks for, answered with the fact: the second pass flags or not.
  async function flagsWith(sql: string, answer: TypeChangeFact): Promise<boolean> {
    const questions = noQuestions()
    await lintSql(sql, { questions })
    const facts: LiveFacts = { volatility: new Map(), typeChanges: new Map([...questions.typeChanges.keys()].map((k) => [k, answer])) }
    return (await lintSql(sql, { facts })).some((f) => f.rule === 'alter-column-type')
  }

  it('asks about the column and the new type as to_regtype reads it', async () => {
    const questions = noQuestions()
    await lintSql('ALTER TABLE app.orders ALTER COLUMN ref TYPE varchar(20)[];', { questions })
    expect([...questions.typeChanges.values()]).toEqual([{ table: 'app.orders', column: 'ref', type: '"pg_catalog"."varchar"[]' }])
  })

  it.each([
    ['varchar(10) → varchar(20)', 'ALTER TABLE orders ALTER COLUMN ref TYPE varchar(20)', varchar10, false],
    ['varchar(10) → varchar', 'ALTER TABLE orders ALTER COLUMN ref TYPE varchar', varchar10, false],
    ['varchar(10) → varchar(5)', 'ALTER TABLE orders ALTER COLUMN ref TYPE varchar(5)', varchar10, true],
    ['varchar(10) → text (binary cast)', 'ALTER TABLE orders ALTER COLUMN ref TYPE text', fact({ binaryCast: true, modifiers: [10] }), false],
    ['text → varchar(10) (binary cast, then a length check)', 'ALTER TABLE orders ALTER COLUMN ref TYPE varchar(10)', fact({ binaryCast: true }), true],
    ['numeric(10,2) → numeric(12,2)', 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,2)', numeric10, false],
    ['numeric(10,2) → numeric(12,4)', 'ALTER TABLE orders ALTER COLUMN total TYPE numeric(12,4)', numeric10, true],
    ['char(10) → char(20) (no support function: rewrite)', 'ALTER TABLE orders ALTER COLUMN ref TYPE char(20)', fact({ sameType: true, modifiers: [10] }), true],
    ['int → bigint', 'ALTER TABLE orders ALTER COLUMN id TYPE bigint', fact({}), true],
    ['varchar(10) → varchar(20) USING', 'ALTER TABLE orders ALTER COLUMN ref TYPE varchar(20) USING upper(ref)', varchar10, true],
  ])('%s: flagged %s', async (_case, sql, answer, flagged) => {
    expect(await flagsWith(sql, answer)).toBe(flagged)
  })

  it('stays destructive offline', async () => {
    expect(await find('ALTER TABLE orders ALTER COLUMN ref TYPE text;', 'alter-column-type')).toBeDefined()
  })
})
