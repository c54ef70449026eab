import { loadModule, scanSync } from 'libpg-query'
import { beforeAll, describe, expect, it } from 'vitest'
import { commentRanges } from '~server/migrations/lint/comments'

// PostgreSQL's own scanner is the reference: the lexer must find exactly the comments it finds.
function scannerComments(sql: string): { start: number, end: number }[] {
  return scanSync(sql).tokens
    .filter((t) => t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT')
    .map((t) => ({ start: t.start, end: t.end }))
}

describe('finding comments the way PostgreSQL does', () => {
  beforeAll(() => loadModule())

  it.each([
    ['line comments ending at LF or CR', 'SELECT 1; -- a\r\nSELECT 2; -- b\nSELECT 3; --c'],
    ['nested block comments', 'SELECT 1 /* a /* b */ still comment */ + 2;'],
    ['a comment right after an operator', 'SELECT 1 */* c */ 2, 3-- d\n;'],
    ['dashes inside strings and quoted names', "SELECT 'a -- b', 'it''s /* x', \"c -- \"\"d\" -- real\n;"],
    ['an E-string with an escaped quote', "SELECT E'\\' -- still string', e'\\\\' -- comment\n;"],
    ['a standard string ending in a backslash', "SELECT 'C:\\' -- comment\n;"],
    ['an identifier ending in e before a string', "SELECT name'x\\' -- comment\n;"],
    ['dollar quotes with and without a tag', 'SELECT $$ -- no $$, $a$ /* no $$ */ $a$; -- yes'],
    ['a parameter and dollars inside identifiers', 'SELECT $1, x$$y$$ -- yes\n;'],
    ['a function body', 'CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1; -- in body\n $body$ LANGUAGE sql; /* after */'],
    ['multibyte text', "SELECT 'naïve -- no' /* ünï */, $ä$ -- $ä$; -- é 😀\nSELECT 2;"],
    ['bit, hex, national and Unicode strings', "SELECT b'1', x'ff', n'x -- no', U&'d\\0061t -- no', U&\"a -- b\"; -- yes"],
    ['a comment at the very end without a newline', 'SELECT 1;\n-- the end'],
  ])('%s', (_case, sql) => {
    const expected = scannerComments(sql)
    expect(expected.length).toBeGreaterThan(0)
    expect(commentRanges(Buffer.from(sql, 'utf8'))).toEqual(expected)
  })
})
