import { describe, expect, it } from 'vitest'
import type { MigrationRow } from '~contract/migrations'
import { lintSql } from '~server/migrations/lint/lint'
import { splitStatements } from '~server/migrations/lint/statements'
import { leftAfterFailure, transactionShape } from '~server/migrations/lint/transaction-control'
import { planRun } from '~server/migrations/plan'

const rulesOf = async (sql: string) => (await lintSql(sql)).filter((f) => f.rule === 'transaction-control' || f.rule === 'own-transaction')

describe('transaction-control: shapes a run cannot follow', () => {
  it.each([
    ['two-phase commit', "BEGIN;\nCREATE TABLE t (id int);\nPREPARE TRANSACTION 'm1';", 3, /PREPARE TRANSACTION is two-phase commit.*use BEGIN … COMMIT/],
    ['COMMIT PREPARED', "COMMIT PREPARED 'm1';", 1, /COMMIT PREPARED is two-phase commit/],
    ['ROLLBACK PREPARED', "ROLLBACK PREPARED 'm1';", 1, /ROLLBACK PREPARED is two-phase commit/],
    ['BEGIN without COMMIT', 'CREATE TABLE a (id int);\nBEGIN;\nCREATE TABLE t (id int);', 2, /BEGIN at line 2 is never followed by COMMIT.*End the transaction with COMMIT/],
    ['COMMIT without BEGIN', 'CREATE TABLE t (id int);\nCOMMIT;', 2, /COMMIT without a BEGIN before it.*committed as they ran.*Put BEGIN where/],
    ['END without BEGIN', 'CREATE TABLE t (id int);\nEND;', 2, /COMMIT without a BEGIN/],
    ['ROLLBACK without BEGIN', 'CREATE TABLE t (id int);\nROLLBACK;', 2, /ROLLBACK without a BEGIN before it/],
    ['a second COMMIT', 'BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\nCOMMIT;', 4, /COMMIT without a BEGIN/],
    ['SAVEPOINT outside a transaction', 'SAVEPOINT s;\nCREATE TABLE t (id int);', 1, /SAVEPOINT outside a transaction block fails/],
    ['ROLLBACK TO outside a transaction', 'BEGIN;\nSAVEPOINT s;\nCOMMIT;\nROLLBACK TO SAVEPOINT s;', 4, /ROLLBACK TO SAVEPOINT outside a transaction block/],
    ['nested BEGIN', 'BEGIN;\nCREATE TABLE t (id int);\nBEGIN;\nCOMMIT;', 3, /BEGIN inside the transaction the file opened at line 1.*inner COMMIT ends the outer/],
    ['CONCURRENTLY inside BEGIN…COMMIT', 'BEGIN;\nCREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_id ON t (id);\nCOMMIT;', 3,
      /cannot run inside a transaction block, and it is inside the transaction the file opened at line 1\. Move it after that transaction's COMMIT/],
    ['COMMIT AND CHAIN at the end', 'BEGIN;\nCREATE TABLE t (id int);\nCOMMIT AND CHAIN;', 3, /COMMIT AND CHAIN at line 3 is never followed by COMMIT/],
  ])('flags %s at its line', async (_, sql, line, message) => {
    const findings = await rulesOf(sql)
    expect(findings.map((f) => [f.rule, f.severity, f.line])).toContainEqual(['transaction-control', 'warning', line])
    expect(findings.find((f) => f.line === line && f.rule === 'transaction-control')!.message).toMatch(message)
    expect(findings.find((f) => f.rule === 'transaction-control')!.message).toMatch(/A dbsafe run refuses the file until then\.$/)
    // A file that does not run is not described as running as written.
    expect(findings.map((f) => f.rule)).not.toContain('own-transaction')
  })

  it.each([
    ['BEGIN … COMMIT', 'BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;', 1],
    ['START TRANSACTION … END', 'CREATE TABLE a (id int);\nSTART TRANSACTION ISOLATION LEVEL SERIALIZABLE;\nCREATE TABLE t (id int);\nEND;', 2],
    ['savepoints inside', 'BEGIN;\nSAVEPOINT s;\nCREATE TABLE t (id int);\nROLLBACK TO SAVEPOINT s;\nRELEASE s;\nCOMMIT;', 1],
    ['two transactions and CONCURRENTLY between them', 'BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY t_id ON t (id);\nBEGIN;\nINSERT INTO t VALUES (1);\nROLLBACK;', 1],
    ['COMMIT AND CHAIN then COMMIT', 'BEGIN;\nCREATE TABLE t (id int);\nCOMMIT AND CHAIN;\nINSERT INTO t VALUES (1);\nCOMMIT;', 1],
    ['SET LOCAL inside', "BEGIN;\nSET LOCAL lock_timeout = '1s';\nALTER TABLE t ADD COLUMN IF NOT EXISTS c int;\nCOMMIT;", 1],
  ])('does not flag %s: one info note that it runs as written', async (_, sql, line) => {
    const findings = await rulesOf(sql)
    expect(findings.map((f) => [f.rule, f.severity, f.line])).toEqual([['own-transaction', 'info', line]])
    expect(findings[0].message).toMatch(/runs it as written, without its per-migration transaction.*A failure after one of its COMMITs leaves the statements before that COMMIT applied/)
  })

  it.each([
    ['no transaction control', 'CREATE TABLE t (id int);\nINSERT INTO t VALUES (1);'],
    ['COMMIT in a comment', '-- COMMIT;\n/* BEGIN; */\nCREATE TABLE t (id int);'],
    ['COMMIT in a string', "INSERT INTO notes VALUES ('BEGIN; COMMIT;');"],
    ['a plpgsql body with BEGIN … END', 'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$;'],
    ['a procedure that commits', 'CREATE PROCEDURE p() LANGUAGE plpgsql AS $$ BEGIN COMMIT; END $$;'],
    ['a DO block that commits', 'DO $$ BEGIN COMMIT; END $$;'],
    ['SET TRANSACTION', 'SET TRANSACTION ISOLATION LEVEL SERIALIZABLE;'],
  ])('says nothing about %s', async (_, sql) => {
    expect(await rulesOf(sql)).toEqual([])
  })

  it('marks the statements a runner sees as transaction control', async () => {
    const statements = await splitStatements("BEGIN;\nSELECT 1;\nSAVEPOINT s;\nROLLBACK TO s;\nCOMMIT AND CHAIN;\nABORT;\nPREPARE TRANSACTION 'x'")
    expect(statements.map((s) => s.transactionControl)).toEqual(['begin', undefined, 'savepoint', 'rollback-to', 'commit-and-chain', 'rollback', 'prepare'])
  })
})

describe('what a failure leaves of a file with its own transaction control', () => {
  const FILE = 'BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);\nBEGIN;\nINSERT INTO a VALUES (1);\nCOMMIT;'
  it.each([
    [1, 'its open transaction from line 1 was rolled back; nothing of it was committed'],
    [3, 'the statements before line 4 were committed by the file\'s own COMMIT and stay applied'],
    [5, 'its open transaction from line 5 was rolled back; the statements before line 5 were committed as they ran, outside a transaction and stay applied'],
    [6, 'its open transaction from line 5 was rolled back; the statements before line 5 were committed as they ran, outside a transaction and stay applied'],
    [7, 'all its statements were committed and stay applied'],
  ])('failing at statement %i', async (failed, left) => {
    const statements = await splitStatements(FILE)
    expect(leftAfterFailure(statements, transactionShape(statements), failed)).toBe(left)
  })

  it('counts what the file rolled back itself as not committed', async () => {
    const statements = await splitStatements('BEGIN;\nCREATE TABLE a (id int);\nROLLBACK;\nSELECT 1/0;')
    expect(leftAfterFailure(statements, transactionShape(statements), 3)).toBe('nothing of it was committed')
  })
})

describe('planRun and files with their own transaction control', () => {
  const row = (name: string): MigrationRow => ({ name, status: 'pending', checksum: 'c', appliedAt: null, appliedBy: null, durationMs: null, findings: [] })
  const backup = { newestUsableAt: new Date(), maxAgeMinutes: 60, now: new Date() }
  const plan = async (files: Record<string, string>) => {
    const statements = new Map(await Promise.all(Object.entries(files).map(async ([name, sql]) => [name, await splitStatements(sql)] as const)))
    return planRun(Object.keys(files).map(row), statements, { acknowledge: [] }, backup)
  }

  it.each([
    ['a file left inside its transaction', 'BEGIN;\nCREATE TABLE t (id int);', 1, 'BEGIN at line 1 is never followed by COMMIT'],
    ['two-phase commit', "BEGIN;\nCREATE TABLE t (id int);\nPREPARE TRANSACTION 'x';", 3, 'PREPARE TRANSACTION is two-phase commit'],
    ['COMMIT without BEGIN', 'CREATE TABLE t (id int);\nCOMMIT;', 2, 'COMMIT without a BEGIN'],
    ['CONCURRENTLY inside the file\'s transaction', 'BEGIN;\nCREATE INDEX CONCURRENTLY t_id ON t (id);\nCOMMIT;', 2, 'This statement cannot run inside a transaction block'],
  ])('refuses %s, naming the migration and line', async (_, sql, line, message) => {
    const result = await plan({ '001_ok': 'CREATE TABLE ok (id int);', '002_bad': sql })
    if (result.ok) throw new Error('expected a refusal')
    expect(result.refusal.code).toBe('transaction-control')
    expect(result.refusal.message).toContain(`002_bad line ${line}: ${message}`)
    expect(result.refusal.data).toMatchObject({ problems: [{ migration: '002_bad', line }] })
  })

  it('runs a BEGIN … COMMIT file, and CONCURRENTLY after its COMMIT, that a wrapped run would refuse as mixed', async () => {
    const own = await plan({ '001_own': 'BEGIN;\nCREATE TABLE t (id int);\nCOMMIT;\nCREATE INDEX CONCURRENTLY t_id ON t (id);' })
    expect(own).toMatchObject({ ok: true, run: [{ name: '001_own' }] })
    const mixed = await plan({ '001_mixed': 'CREATE TABLE t (id int);\nCREATE INDEX CONCURRENTLY t_id ON t (id);' })
    expect(mixed).toMatchObject({ ok: false, refusal: { code: 'mixed-transaction' } })
  })
})
