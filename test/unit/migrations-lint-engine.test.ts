import { describe, expect, it } from 'vitest'
import { lintSql } from '~server/migrations/lint/lint'

describe('parse errors', () => {
  it.each([
    ['a typo on line 3', 'SELECT 1;\n\nSELEC 2;', 3],
    ['a typo on line 1', 'SELEC 1;', 1],
    ['multibyte text before the error', "SELECT 'ééé 😀 ☃';\n-- ünïcödé\nCREATE TABLE IF NOT EXISTS (id int);", 3],
    ['an unterminated string', "SELECT 1;\nSELECT 'abc;\nSELECT 2;", 2],
    ['a missing closing parenthesis', 'CREATE TABLE IF NOT EXISTS t (\n  id int,\n  name text\n;', 4],
    ['an unterminated block comment', 'SELECT 1;\n/* never closed\nSELECT 2;', 2],
  ])('reports %s as one blocking finding at the right line', async (_case, sql, line) => {
    const findings = await lintSql(sql)
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ rule: 'parse-error', severity: 'destructive', line })
  })

  it('shows the offending line and the parser message', async () => {
    const [f] = await lintSql('DROP TABLE users;\nALTER TABEL users ADD COLUMN x int;')
    expect(f.rule).toBe('parse-error')
    expect(f.statement).toBe('ALTER TABEL users ADD COLUMN x int;')
    expect(f.message).toContain('syntax error at or near "TABEL"')
  })

  it('treats an empty file or a file of comments as nothing to do', async () => {
    expect(await lintSql('')).toEqual([])
    expect(await lintSql('-- nothing yet\n/* later */\n')).toEqual([])
  })
})

describe('statement lines and text', () => {
  it('keeps lines right after multibyte characters', async () => {
    const sql = "INSERT INTO notes (t) VALUES ('naïve café 😀 ☃') ON CONFLICT DO NOTHING;\n-- ünïcödé comment\n\nDROP TABLE legacy;\n"
    const [f] = await lintSql(sql)
    expect(f).toMatchObject({ rule: 'drop-table', line: 4, statement: 'DROP TABLE legacy' })
  })

  it('returns the exact text of a statement containing multibyte characters', async () => {
    const [f] = await lintSql("SELECT '😀';\nUPDATE users SET name = 'Zoë ☃';")
    expect(f).toMatchObject({ rule: 'update-without-where', line: 2, statement: "UPDATE users SET name = 'Zoë ☃'" })
  })

  it('starts a statement at its first keyword, not at the comments above it', async () => {
    const [f] = await lintSql('SELECT 1;\n-- remove the old table\n/* ticket 42 */\nTRUNCATE audit;')
    expect(f).toMatchObject({ line: 4, statement: 'TRUNCATE audit' })
  })

  it('takes the line of a multi-line statement from its first line', async () => {
    const [f] = await lintSql('SELECT 1;\nDELETE\n  FROM sessions\n;')
    expect(f).toMatchObject({ rule: 'delete-without-where', line: 2, statement: 'DELETE\n  FROM sessions' })
  })
})

describe('acknowledgement comments', () => {
  const acknowledged = async (sql: string, rule: string) => (await lintSql(sql)).find((f) => f.rule === rule)?.acknowledged

  it.each([
    ['on the line above', '-- dbsafe:allow drop-table replaced by orders_v2\nDROP TABLE orders;'],
    ['two lines above, under another comment', '-- dbsafe:allow drop-table replaced by orders_v2\n-- see ticket 42\nDROP TABLE orders;'],
    ['on the same line', 'DROP TABLE orders; -- dbsafe:allow drop-table replaced by orders_v2'],
    ['as a block comment', '/* dbsafe:allow drop-table replaced by orders_v2 */\nDROP TABLE orders;'],
    ['in a list of rules', '-- dbsafe:allow truncate,drop-table replaced by orders_v2\nDROP TABLE orders;'],
  ])('acknowledges a finding with a comment %s', async (_where, sql) => {
    expect(await acknowledged(sql, 'drop-table')).toEqual({ reason: 'replaced by orders_v2' })
  })

  it('keeps the acknowledged finding in the list', async () => {
    const findings = await lintSql('-- dbsafe:allow truncate nightly reset of a cache table\nTRUNCATE cache;')
    expect(findings).toEqual([expect.objectContaining({ rule: 'truncate', severity: 'destructive', acknowledged: { reason: 'nightly reset of a cache table' } })])
  })

  it('does not accept a fake acknowledgement inside a string', async () => {
    const sql = "SELECT '-- dbsafe:allow drop-table fake';\nDROP TABLE orders;"
    expect(await acknowledged(sql, 'drop-table')).toBeUndefined()
    const sameLine = "DROP TABLE orders; SELECT 'x -- dbsafe:allow drop-table fake';"
    expect(await acknowledged(sameLine, 'drop-table')).toBeUndefined()
  })

  it('acknowledges only the statement it sits with', async () => {
    const sql = 'DROP TABLE a; -- dbsafe:allow drop-table old copy\nDROP TABLE b;'
    const findings = (await lintSql(sql)).filter((f) => f.rule === 'drop-table')
    expect(findings.map((f) => [f.statement, f.acknowledged?.reason])).toEqual([['DROP TABLE a', 'old copy'], ['DROP TABLE b', undefined]])
  })

  it('acknowledges only the named rule', async () => {
    const sql = '-- dbsafe:allow truncate wrong rule named\nDROP TABLE orders;'
    const findings = await lintSql(sql)
    expect(findings.find((f) => f.rule === 'drop-table')?.acknowledged).toBeUndefined()
    expect(findings.find((f) => f.rule === 'allow-comment')?.message).toContain('matches no truncate finding')
  })

  it.each([
    ['no reason', '-- dbsafe:allow drop-table\nDROP TABLE orders;', 'needs a rule id and a reason'],
    ['an unknown rule', '-- dbsafe:allow drop-tables because\nDROP TABLE orders;', 'unknown rule "drop-tables"'],
    ['nothing after it', 'DROP TABLE orders;\n\n-- dbsafe:allow drop-table because', 'acknowledges nothing'],
  ])('warns about an acknowledgement with %s and does not acknowledge', async (_case, sql, message) => {
    const findings = await lintSql(sql)
    expect(findings.find((f) => f.rule === 'drop-table')?.acknowledged).toBeUndefined()
    const warning = findings.find((f) => f.rule === 'allow-comment')
    expect(warning?.severity).toBe('warning')
    expect(warning?.message).toContain(message)
  })
})
