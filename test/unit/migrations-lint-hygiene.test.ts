import { describe, expect, it } from 'vitest'
import { lintSql } from '../../server/migrations/lint/lint'

const ruleIds = async (sql: string) => (await lintSql(sql)).map((f) => f.rule)

// The same statement where it is not a statement: comments, a string, a function body.
const hidden = (sql: string): [string, string][] => [
  ['-- comment', `-- ${sql}\nSELECT 1;`],
  ['/* */ comment', `/* ${sql} */ SELECT 1;`],
  ['string literal', `SELECT '${sql.replace(/'/g, "''")}';`],
  ['function body', `CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $body$ BEGIN ${sql}; END $body$;`],
]

const flagged: [string, string][] = [
  ['non-idempotent-create-table', 'CREATE TABLE users (id int)'],
  ['non-idempotent-create-table', 'CREATE UNLOGGED TABLE app.cache (k text)'],
  ['non-idempotent-create-index', 'CREATE INDEX CONCURRENTLY users_email ON users (email)'],
  ['non-idempotent-create-index', 'CREATE INDEX CONCURRENTLY ON users (email)'],
  ['non-idempotent-add-column', 'ALTER TABLE users ADD COLUMN email text'],
  ['insert-without-on-conflict', "INSERT INTO settings (key, value) VALUES ('a', 'b')"],
  ['insert-without-on-conflict', 'INSERT INTO archive SELECT * FROM orders WHERE id < 10'],
]

const notFlagged: [string, string][] = [
  ['non-idempotent-create-table', 'CREATE TABLE IF NOT EXISTS users (id int)'],
  ['non-idempotent-create-table', 'CREATE VIEW v AS SELECT 1'],
  ['non-idempotent-create-index', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email)'],
  ['non-idempotent-add-column', 'ALTER TABLE users ADD COLUMN IF NOT EXISTS email text'],
  ['insert-without-on-conflict', "INSERT INTO settings (key, value) VALUES ('a', 'b') ON CONFLICT DO NOTHING"],
  ['insert-without-on-conflict', "INSERT INTO settings (key, value) VALUES ('a', 'b') ON CONFLICT (key) DO UPDATE SET value = excluded.value"],
]

describe('hygiene rules', () => {
  it.each(flagged)('%s flags: %s', async (rule, sql) => {
    const finding = (await lintSql(sql)).find((f) => f.rule === rule)
    expect(finding).toBeDefined()
    expect(finding!.severity).toBe('info')
  })

  it.each(notFlagged)('%s does not flag: %s', async (rule, sql) => {
    expect(await ruleIds(sql)).not.toContain(rule)
  })

  const hiddenCases = flagged.flatMap(([rule, sql]) => hidden(sql).map(([where, text]) => [rule, where, text] as const))
  it.each(hiddenCases)('%s ignores the statement inside a %s', async (_rule, _where, sql) => {
    expect(await ruleIds(sql)).toEqual([])
  })

  it('a file that follows the convention has no findings at all', async () => {
    const sql = `
      CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY, email text);
      CREATE INDEX IF NOT EXISTS users_email ON users (email);
      ALTER TABLE users ADD COLUMN IF NOT EXISTS created_at timestamptz NOT NULL DEFAULT now();
      INSERT INTO users (id, email) VALUES (1, 'a@example.com') ON CONFLICT DO NOTHING;
    `
    expect(await lintSql(sql)).toEqual([])
  })
})
