import { describe, expect, it } from 'vitest'
import { lintSql } from '~server/migrations/lint/lint'
import { ruleCases } from '../support/lint-cases'

const flagged: [string, string][] = [
  ['drop-database', 'DROP DATABASE shop'],
  ['drop-database', 'DROP DATABASE IF EXISTS shop'],
  ['drop-schema', 'DROP SCHEMA billing CASCADE'],
  ['drop-schema', 'DROP SCHEMA IF EXISTS billing'],
  ['drop-table', 'DROP TABLE users'],
  ['drop-table', 'DROP TABLE IF EXISTS public.users, orders'],
  ['truncate', 'TRUNCATE orders'],
  ['truncate', 'TRUNCATE TABLE orders, items RESTART IDENTITY CASCADE'],
  ['delete-without-where', 'DELETE FROM sessions'],
  ['delete-without-where', 'WITH gone AS (DELETE FROM sessions RETURNING id) SELECT count(*) FROM gone'],
  ['update-without-where', "UPDATE users SET email = 'x'"],
  ['drop-column', 'ALTER TABLE users DROP COLUMN email'],
  ['drop-column', 'ALTER TABLE users DROP COLUMN IF EXISTS email'],
  ['alter-column-type', 'ALTER TABLE users ALTER COLUMN id TYPE bigint'],
  ['sequence-restart', 'ALTER SEQUENCE users_id_seq RESTART WITH 1'],
  ['sequence-restart', "SELECT setval('users_id_seq', 1)"],
  ['sequence-restart', "SELECT pg_catalog.setval('users_id_seq', (SELECT max(id) FROM users))"],
  ['sequence-restart', 'ALTER TABLE users ALTER COLUMN id RESTART WITH 1'],
  ['drop-owned', 'DROP OWNED BY app'],
  ['reassign-owned', 'REASSIGN OWNED BY app TO migrator'],
  ['privilege-change', 'GRANT TRUNCATE ON orders TO app'],
  ['privilege-change', 'REVOKE ALL ON orders FROM PUBLIC'],
  ['privilege-change', 'GRANT admin TO app'],
  ['privilege-change', 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT ALL ON TABLES TO app'],
  ['role-change', "CREATE ROLE reporter LOGIN PASSWORD 'x'"],
  ['role-change', 'ALTER ROLE app SUPERUSER'],
  ['role-change', 'ALTER ROLE app SET search_path = billing'],
  ['role-change', 'DROP ROLE IF EXISTS reporter'],
  ['role-change', 'ALTER ROLE app RENAME TO app2'],
  ['owner-change', 'ALTER TABLE orders OWNER TO app'],
  ['owner-change', 'ALTER SCHEMA billing OWNER TO app'],
]

const notFlagged: [string, string][] = [
  ['drop-table', 'DROP VIEW IF EXISTS users_view'],
  ['drop-table', 'DROP INDEX users_email'],
  ['drop-schema', 'DROP TABLE billing'],
  ['delete-without-where', 'DELETE FROM sessions WHERE expires_at < now()'],
  ['delete-without-where', 'DELETE FROM sessions USING users WHERE users.id = sessions.user_id'],
  ['update-without-where', "UPDATE users SET email = 'x' WHERE id = 1"],
  ['drop-column', 'ALTER TABLE users DROP CONSTRAINT users_email_key'],
  ['alter-column-type', 'ALTER TABLE users ALTER COLUMN id SET DEFAULT 0'],
  ['sequence-restart', 'ALTER SEQUENCE users_id_seq INCREMENT BY 2'],
  ['sequence-restart', "SELECT nextval('users_id_seq')"],
  ['sequence-restart', "SELECT currval('users_id_seq') AS setval"],
  ['privilege-change', 'SELECT has_table_privilege(\'app\', \'orders\', \'TRUNCATE\')'],
  ['owner-change', 'ALTER TABLE orders RENAME COLUMN a TO b'],
]

describe('destructive rules', () => {
  ruleCases('destructive', flagged, notFlagged)

  it('says IF EXISTS still drops data and names every table', async () => {
    const [f] = await lintSql('DROP TABLE IF EXISTS users, orders;')
    expect(f.message).toContain('users, orders')
    expect(f.tables).toEqual(['users', 'orders'])
  })

  it('flags DELETE without WHERE but not the UPDATE with one in the same file', async () => {
    const findings = await lintSql('UPDATE users SET active = false WHERE id = 7;\nDELETE FROM audit;\n')
    expect(findings.filter((f) => f.severity === 'destructive').map((f) => [f.rule, f.line, f.statement]))
      .toEqual([['delete-without-where', 2, 'DELETE FROM audit']])
  })
})
