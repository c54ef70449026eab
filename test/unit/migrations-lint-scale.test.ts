import { loadModule, parseSync } from 'libpg-query'
import { performance } from 'node:perf_hooks'
import { describe, expect, it } from 'vitest'
import { lintSql } from '~server/migrations/lint/lint'

// Tables created and used further down, indexes, acknowledged drops and comments: every lookup the
// linter makes across a file (created relations, statement owners of comments, findings by statement).
function bigFile(groups: number): string {
  const lines: string[] = []
  for (let i = 0; i < groups; i++) {
    lines.push(
      `-- group ${i}`,
      `CREATE TABLE t${i} (id bigint PRIMARY KEY, name text);`,
      `CREATE INDEX t${i}_name ON t${i} (name);`,
      `ALTER TABLE t${i} ADD COLUMN note text DEFAULT 'x';`,
      `/* dbsafe:allow drop-table replaced by t${i}_v2 */ DROP TABLE old_${i};`,
    )
  }
  return lines.join('\n')
}

describe('lint time on large files', () => {
  it('stays within a few times the bare parse of a 20,000-statement file', async () => {
    await loadModule()
    const sql = bigFile(5000)
    const t0 = performance.now()
    expect(parseSync(sql).stmts).toHaveLength(20000)
    const parseMs = performance.now() - t0
    const t1 = performance.now()
    const findings = await lintSql(sql)
    const lintMs = performance.now() - t1
    const drops = findings.filter((f) => f.rule === 'drop-table')
    expect(drops).toHaveLength(5000)
    expect(drops.every((f) => f.acknowledged?.reason.startsWith('replaced by'))).toBe(true)
    expect(drops[4999]).toMatchObject({ line: 25000, statement: 'DROP TABLE old_4999' })
    // Linear work is about twice the parse; a per-statement scan of the file took this to 80×.
    expect(lintMs).toBeLessThan(parseMs * 10)
  }, 60_000)
})
