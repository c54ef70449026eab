import { describe, expect, it } from 'vitest'
import { lintSql } from '~server/migrations/lint/lint'
import { ruleCases } from '../support/lint-cases'

const flagged: [string, string][] = [
  ['non-idempotent-create-table', 'CREATE TABLE users (id int)'],
  ['non-idempotent-create-table', 'CREATE UNLOGGED TABLE app.cache (k text)'],
  ['non-idempotent-create-index', 'CREATE INDEX users_email ON users (email)'],
  ['non-idempotent-create-index', 'CREATE UNIQUE INDEX ON users (email)'],
  ['non-idempotent-add-column', 'ALTER TABLE users ADD COLUMN email text'],
  ['insert-without-on-conflict', "INSERT INTO settings (key, value) VALUES ('a', 'b')"],
  ['insert-without-on-conflict', 'INSERT INTO archive SELECT * FROM orders WHERE id < 10'],
]

const notFlagged: [string, string][] = [
  ['non-idempotent-create-table', 'CREATE TABLE IF NOT EXISTS users (id int)'],
  ['non-idempotent-create-table', 'CREATE VIEW v AS SELECT 1'],
  ['non-idempotent-create-index', 'CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email)'],
  // A concurrent build has its own warning, concurrent-index-without-if-not-exists.
  ['non-idempotent-create-index', 'CREATE INDEX CONCURRENTLY users_email ON users (email)'],
  ['non-idempotent-add-column', 'ALTER TABLE users ADD COLUMN IF NOT EXISTS email text'],
  ['insert-without-on-conflict', "INSERT INTO settings (key, value) VALUES ('a', 'b') ON CONFLICT DO NOTHING"],
  ['insert-without-on-conflict', "INSERT INTO settings (key, value) VALUES ('a', 'b') ON CONFLICT (key) DO UPDATE SET value = excluded.value"],
]

describe('hygiene rules', () => {
  ruleCases('info', flagged, notFlagged)

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
