import { describe, expect, it } from 'vitest'
import { lintSql } from '~server/migrations/lint/lint'

const byRule = async (sql: string, rule: string) => (await lintSql(sql)).filter((f) => f.rule === rule)

describe('DO blocks', () => {
  it('notes every DO block as procedural code to review by hand', async () => {
    const [f] = await byRule("DO $$ BEGIN RAISE NOTICE 'hi'; END $$;", 'do-block')
    expect(f.severity).toBe('info')
    expect(f.message).toContain('procedural code the linter cannot see into')
    expect(await byRule("DO $$ BEGIN RAISE NOTICE 'hi'; END $$;", 'do-block-destructive')).toEqual([])
  })

  it.each([
    ['DROP', 'DROP TABLE legacy;', 'DROP TABLE legacy'],
    ['TRUNCATE', 'TRUNCATE audit;', 'TRUNCATE audit'],
    ['DELETE', 'DELETE FROM sessions WHERE id > 0;', 'DELETE FROM sessions'],
    ['nested in IF', 'IF true THEN DROP TABLE legacy; END IF;', 'DROP TABLE legacy'],
    ['in an exception handler', 'PERFORM 1; EXCEPTION WHEN others THEN TRUNCATE audit;', 'TRUNCATE audit'],
  ])('warns about %s inside the body, with its line in the file', async (_case, inner, what) => {
    const sql = `SELECT 1;\nDO $$\nBEGIN\n  ${inner}\nEND\n$$;`
    const [f] = await byRule(sql, 'do-block-destructive')
    expect(f.severity).toBe('warning')
    expect(f.line).toBe(2)
    expect(f.message).toContain(`${what} (line 4)`)
  })

  it.each([
    ['a comment', 'DO $$ BEGIN -- DROP TABLE legacy\n RAISE NOTICE \'x\'; END $$;'],
    ['a string', "DO $$ BEGIN RAISE NOTICE 'DROP TABLE legacy'; END $$;"],
    ['a dynamic EXECUTE string', "DO $$ BEGIN EXECUTE 'TRUNCATE audit'; END $$;"],
  ])('does not count DROP/TRUNCATE/DELETE in %s of the body', async (_where, sql) => {
    expect(await byRule(sql, 'do-block-destructive')).toEqual([])
  })

  it('says when the body builds SQL at run time', async () => {
    const [f] = await byRule("DO $$ BEGIN EXECUTE format('TRUNCATE %I', 'audit'); END $$;", 'do-block')
    expect(f.message).toContain('EXECUTE')
  })

  it('flags a body in another language as not analysed', async () => {
    const [f] = await byRule("DO LANGUAGE plpython3u $$ plpy.execute('DROP TABLE legacy') $$;", 'do-block')
    expect(f.message).toContain('plpython3u body was not analysed')
  })

  it('does not flag statements inside CREATE FUNCTION bodies at all', async () => {
    const sql = 'CREATE OR REPLACE FUNCTION purge() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DROP TABLE x; TRUNCATE y; END $$;'
    expect(await lintSql(sql)).toEqual([])
  })
})
