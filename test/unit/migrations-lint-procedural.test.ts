import { describe, expect, it } from 'vitest'
import { lintSql } from '~server/migrations/lint/lint'

const byRule = async (sql: string, rule: string) => (await lintSql(sql)).filter((f) => f.rule === rule)
// A DO block starting on line 2 whose body's statement `inner` sits on line 5.
const doBlock = (inner: string) => `SELECT 1;\nDO $$\nDECLARE r record;\nBEGIN\n  ${inner}\nEND\n$$;`

describe('statements inside DO blocks', () => {
  it('flags DROP COLUMN inside a DO block as destructive, at its own line, saying where it runs', async () => {
    const [f] = await byRule(doBlock('ALTER TABLE users DROP COLUMN email;'), 'drop-column')
    expect(f).toMatchObject({ severity: 'destructive', line: 5, statement: 'ALTER TABLE users DROP COLUMN email' })
    expect(f.message).toBe("in a DO block: DROP COLUMN email deletes that column's data from users; the running app breaks if it still reads it.")
    expect(f.acknowledged).toBeUndefined()
  })

  it.each([
    ['a plain statement', 'ALTER TABLE users ALTER COLUMN id TYPE bigint;', 'alter-column-type', 5],
    ['PERFORM', "PERFORM setval('users_id_seq', 1);", 'sequence-restart', 5],
    ['IF … THEN', 'IF true THEN\n    GRANT SELECT ON orders TO app;\n  END IF;', 'privilege-change', 6],
    ['ELSIF', 'IF false THEN NULL;\n  ELSIF true THEN\n    TRUNCATE audit;\n  END IF;', 'truncate', 7],
    ['ELSE', 'IF false THEN NULL;\n  ELSE\n    DELETE FROM sessions;\n  END IF;', 'delete-without-where', 7],
    ['a FOR loop over a query', 'FOR r IN SELECT id FROM users LOOP\n    UPDATE users SET name = r.id::text;\n  END LOOP;', 'update-without-where', 6],
    ['a WHILE loop', 'WHILE false LOOP\n    DROP TABLE legacy;\n  END LOOP;', 'drop-table', 6],
    ['an exception handler', 'BEGIN\n    PERFORM 1;\n  EXCEPTION WHEN others THEN\n    DROP SCHEMA old CASCADE;\n  END;', 'drop-schema', 8],
    ['a nested DO block', 'DO $inner$ BEGIN\n    DROP OWNED BY app;\n  END $inner$;', 'drop-owned', 6],
    ['a fixed EXECUTE string', "EXECUTE 'ALTER TABLE users DROP COLUMN email';", 'drop-column', 5],
    ['a warning rule', 'CREATE INDEX IF NOT EXISTS users_email ON users (email);', 'create-index-non-concurrent', 5],
  ])('checks %s in the body with the same rules as the file', async (_case, inner, rule, line) => {
    const findings = await byRule(doBlock(inner), rule)
    expect(findings).toHaveLength(1)
    expect(findings[0].line).toBe(line)
    expect(findings[0].message).toMatch(/^in a DO block: /)
  })

  it('keeps the severity a finding has outside a DO block', async () => {
    const outside = await lintSql('DROP TABLE legacy;\nVACUUM FULL events;')
    const inside = await lintSql(doBlock('DROP TABLE legacy;\n  VACUUM FULL events;'))
    const severities = (fs: typeof outside) => fs.map((f) => [f.rule, f.severity])
    expect(severities(inside)).toEqual(severities(outside))
  })

  it.each([
    ['a comment', "-- DROP TABLE legacy\n  RAISE NOTICE 'x';"],
    ['a string', "RAISE NOTICE 'DROP TABLE legacy';"],
    ['a CREATE FUNCTION body it declares', 'CREATE FUNCTION purge() RETURNS void LANGUAGE plpgsql AS $f$ BEGIN DROP TABLE legacy; END $f$;'],
    ['a condition it tests', "IF EXISTS (SELECT 1 FROM pg_tables WHERE tablename = 'legacy') THEN RAISE NOTICE 'x'; END IF;"],
  ])('finds nothing in %s of the body', async (_where, inner) => {
    expect(await lintSql(doBlock(inner))).toEqual([])
  })

  it('says a statement built at run time cannot be checked, showing the expression at its line', async () => {
    const [f] = await byRule(doBlock("EXECUTE format('DROP TABLE %I', 'legacy');"), 'do-block-dynamic-sql')
    expect(f).toMatchObject({ severity: 'warning', line: 5 })
    expect(f.message).toBe("in a DO block: EXECUTE format('DROP TABLE %I', 'legacy') builds its statement at run time, so it cannot be checked: review what it can run.")
  })

  it.each([
    ['FOR … IN EXECUTE', "FOR r IN EXECUTE 'SELECT * FROM ' || 'users' LOOP NULL; END LOOP;", "'SELECT * FROM ' || 'users'"],
    ['EXECUTE … USING', "EXECUTE 'DELETE FROM ' || quote_ident('t') || ' WHERE id = $1' USING 1;", "'DELETE FROM ' || quote_ident('t') || ' WHERE id = $1'"],
  ])('warns about %s too', async (_case, inner, expr) => {
    const [f] = await byRule(doBlock(inner), 'do-block-dynamic-sql')
    expect(f.message).toContain(`EXECUTE ${expr} builds its statement at run time`)
  })

  it('warns that a body in another language was not checked', async () => {
    const [f] = await byRule("DO LANGUAGE plv8 $$ plv8.execute('DROP TABLE legacy') $$;", 'do-block-unchecked')
    expect(f).toMatchObject({ severity: 'warning', line: 1 })
    expect(f.message).toBe('DO block: its plv8 body was not checked; review it by hand.')
    expect(await byRule("DO LANGUAGE plv8 $$ plv8.execute('DROP TABLE legacy') $$;", 'drop-table')).toEqual([])
  })

  it('warns that a PL/pgSQL body that does not parse was not checked', async () => {
    const [f] = await byRule('DO $$ BEGIN undeclared := 1; DROP TABLE legacy; END $$;', 'do-block-unchecked')
    expect(f.message).toContain('"undeclared" is not a known variable')
    expect(f.message).toContain('nothing in it was checked')
  })

  it('says a statement that cannot run in a transaction fails inside a DO block', async () => {
    const [f] = await byRule(doBlock('CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email ON users (email);'), 'non-transactional')
    expect(f.line).toBe(5)
    expect(f.message).toBe('in a DO block: CREATE INDEX CONCURRENTLY cannot run inside a transaction block, nor inside a function: it fails when the block runs.')
  })

  it('does not flag a plain DO block with nothing risky in it', async () => {
    expect(await lintSql("DO $$ BEGIN RAISE NOTICE 'hi'; END $$;")).toEqual([])
  })

  it('counts a table created inside a DO block as new for the rest of the file', async () => {
    const sql = 'DO $$ BEGIN CREATE TABLE staging (id int); END $$;\nDROP TABLE staging;'
    expect(await byRule(sql, 'drop-table')).toEqual([])
  })
})

describe('acknowledging findings inside DO blocks', () => {
  it('acknowledges them with a comment above the DO block', async () => {
    const sql = `-- dbsafe:allow drop-column the app stopped reading it\n${doBlock('ALTER TABLE users DROP COLUMN email;').replace('SELECT 1;\n', '')}`
    const [f] = await byRule(sql, 'drop-column')
    expect(f.acknowledged).toEqual({ reason: 'the app stopped reading it' })
  })

  it('acknowledges only the statement a comment inside the body sits above', async () => {
    const sql = [
      'DO $$',
      'BEGIN',
      '  -- dbsafe:allow drop-column the app stopped reading it',
      '  ALTER TABLE users DROP COLUMN email;',
      '  ALTER TABLE users DROP COLUMN phone;',
      'END $$;',
    ].join('\n')
    const findings = await byRule(sql, 'drop-column')
    expect(findings.map((f) => [f.line, f.acknowledged?.reason])).toEqual([[4, 'the app stopped reading it'], [5, undefined]])
  })

  it('acknowledges a run-time EXECUTE with a comment on its line', async () => {
    const sql = "DO $$ BEGIN\n  EXECUTE format('TRUNCATE %I', 'cache'); -- dbsafe:allow do-block-dynamic-sql cache tables only\nEND $$;"
    const [f] = await byRule(sql, 'do-block-dynamic-sql')
    expect(f.acknowledged).toEqual({ reason: 'cache tables only' })
  })

  it('warns when a comment inside the body names a rule its statement does not break', async () => {
    const sql = 'DO $$ BEGIN\n  -- dbsafe:allow drop-table wrong rule\n  ALTER TABLE users DROP COLUMN email;\nEND $$;'
    const findings = await lintSql(sql)
    expect(findings.find((f) => f.rule === 'drop-column')?.acknowledged).toBeUndefined()
    expect(findings.find((f) => f.rule === 'allow-comment')?.message).toBe('"dbsafe:allow drop-table" matches no drop-table finding on the statement at line 3')
  })
})

describe('statements that do not run as written', () => {
  it.each([
    ['a BEGIN ATOMIC function body', 'CREATE FUNCTION purge() RETURNS void LANGUAGE sql BEGIN ATOMIC DELETE FROM sessions; UPDATE users SET name = \'x\'; END;'],
    ['a BEGIN ATOMIC procedure body', 'CREATE PROCEDURE reset() LANGUAGE sql BEGIN ATOMIC SELECT setval(\'users_id_seq\', 1); END;'],
    ['a PL/pgSQL function body', 'CREATE OR REPLACE FUNCTION purge() RETURNS void LANGUAGE plpgsql AS $$ BEGIN DROP TABLE x; TRUNCATE y; END $$;'],
    ['a rule action', 'CREATE RULE no_delete AS ON DELETE TO orders DO INSTEAD UPDATE orders SET deleted = true;'],
    ['a rule action list', 'CREATE RULE purge AS ON INSERT TO log DO ALSO (DELETE FROM log_archive; SELECT setval(\'log_seq\', 1));'],
    ['PREPARE', 'PREPARE wipe AS DELETE FROM sessions;'],
    ['EXPLAIN', 'EXPLAIN DELETE FROM sessions;'],
    ['EXPLAIN (ANALYZE false)', 'EXPLAIN (ANALYZE false, COSTS) UPDATE users SET name = \'x\';'],
    ['a view', 'CREATE VIEW next_ids AS SELECT setval(\'users_id_seq\', 1);'],
    ['a materialized view WITH NO DATA', 'CREATE MATERIALIZED VIEW m AS SELECT setval(\'users_id_seq\', 1) WITH NO DATA;'],
  ])('finds nothing in %s', async (_case, sql) => {
    expect((await lintSql(sql)).filter((f) => f.severity !== 'info')).toEqual([])
  })

  it.each([
    ['EXPLAIN ANALYZE', 'EXPLAIN ANALYZE DELETE FROM sessions;', 'delete-without-where'],
    ['EXPLAIN (ANALYZE)', 'EXPLAIN (ANALYZE, BUFFERS) UPDATE users SET name = \'x\';', 'update-without-where'],
    ['a materialized view filled now', 'CREATE MATERIALIZED VIEW m AS SELECT setval(\'users_id_seq\', 1);', 'sequence-restart'],
  ])('still flags %s, which runs the statement', async (_case, sql, rule) => {
    expect((await lintSql(sql)).map((f) => f.rule)).toContain(rule)
  })

  it('flags a prepared statement where EXECUTE runs it', async () => {
    const findings = await lintSql('PREPARE wipe AS DELETE FROM sessions;\nSELECT 1;\nEXECUTE wipe;')
    expect(findings.map((f) => [f.rule, f.line, f.message])).toEqual([
      ['delete-without-where', 3, 'run by EXECUTE wipe: DELETE FROM sessions has no WHERE: it deletes every row.'],
    ])
  })
})
