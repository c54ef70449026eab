import { describe, expect, it } from 'vitest'
import { lintSql } from '~server/migrations/lint/lint'
import { MigrationParseError, splitStatements } from '~server/migrations/lint/statements'

describe('statements that cannot run in a transaction', () => {
  it.each([
    ['CREATE INDEX CONCURRENTLY IF NOT EXISTS events_at ON events (at)'],
    ['DROP INDEX CONCURRENTLY IF EXISTS events_at'],
    ['REINDEX INDEX CONCURRENTLY events_at'],
    ['REINDEX DATABASE shop'],
    ['VACUUM events'],
    ['VACUUM (FULL) events'],
    ['CREATE DATABASE shop_copy'],
    ['DROP DATABASE IF EXISTS shop_copy'],
    ["ALTER SYSTEM SET work_mem = '64MB'"],
    ["CREATE TABLESPACE fast LOCATION '/ssd'"],
  ])('runs alone: %s', async (sql) => {
    const [stmt] = await splitStatements(sql)
    expect(stmt.nonTransactional).toBe(true)
    const note = (await lintSql(sql)).find((f) => f.rule === 'non-transactional')
    expect(note?.severity).toBe('info')
    expect(note?.message).toContain('outside the migration\'s transaction')
  })

  it.each([
    ['CREATE INDEX IF NOT EXISTS events_at ON events (at)'],
    ['ANALYZE events'],
    ['REINDEX TABLE events'],
    ["SELECT 'CREATE INDEX CONCURRENTLY x ON y (z)'"],
    ['-- VACUUM events\nSELECT 1'],
  ])('stays in the transaction: %s', async (sql) => {
    const [stmt] = await splitStatements(sql)
    expect(stmt.nonTransactional).toBe(false)
    expect((await lintSql(sql)).map((f) => f.rule)).not.toContain('non-transactional')
  })

  it.each([
    [110000, true],
    [120000, false],
    [150004, false],
    [undefined, false],
  ])('ALTER TYPE … ADD VALUE on server %s runs alone: %s', async (version, expected) => {
    const [stmt] = await splitStatements("ALTER TYPE mood ADD VALUE IF NOT EXISTS 'meh'", version)
    expect(stmt.nonTransactional).toBe(expected)
  })
})

describe('splitStatements', () => {
  it('gives each statement with its line, text and transaction need, in order', async () => {
    const sql = "-- 003 add events\nCREATE TABLE IF NOT EXISTS events (id int, note text DEFAULT ';');\n\nCREATE INDEX CONCURRENTLY IF NOT EXISTS events_id ON events (id);\nINSERT INTO events VALUES (1, 'é;☃') ON CONFLICT DO NOTHING"
    expect(await splitStatements(sql)).toEqual([
      { sql: "CREATE TABLE IF NOT EXISTS events (id int, note text DEFAULT ';')", line: 2, nonTransactional: false },
      { sql: 'CREATE INDEX CONCURRENTLY IF NOT EXISTS events_id ON events (id)', line: 4, nonTransactional: true },
      { sql: "INSERT INTO events VALUES (1, 'é;☃') ON CONFLICT DO NOTHING", line: 5, nonTransactional: false },
    ])
  })

  it('keeps a function body with semicolons as one statement', async () => {
    const sql = 'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN PERFORM 1; RETURN 2; END $$;\nSELECT f();'
    expect((await splitStatements(sql)).map((s) => s.line)).toEqual([1, 2])
  })

  it('refuses a file that does not parse, naming the line', async () => {
    await expect(splitStatements('SELECT 1;\nSELEC 2;')).rejects.toBeInstanceOf(MigrationParseError)
    await expect(splitStatements('SELECT 1;\nSELEC 2;')).rejects.toThrow(/^line 2: syntax error/)
  })
})
