import { expect, it } from 'vitest'
import type { LintSeverity } from '~contract/migrations'
import { lintSql } from '~server/migrations/lint/lint'

export const ruleIds = async (sql: string) => (await lintSql(sql)).map((f) => f.rule)

// The same statement where it is not a statement: comments, a string, a function body.
const hidden = (sql: string): [string, string][] => [
  ['-- comment', `-- ${sql}\nSELECT 1;`],
  ['/* */ comment', `/* ${sql} */ SELECT 1;`],
  ['string literal', `SELECT '${sql.replace(/'/g, "''")}';`],
  ['function body', `CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $body$ BEGIN ${sql}; END $body$;`],
]

/** Every rule family's three tables: what it must flag (with its severity), what not, and the same text hidden. */
export function ruleCases(severity: LintSeverity, flagged: [string, string][], notFlagged: [string, string][]) {
  it.each(flagged)('%s flags: %s', async (rule, sql) => {
    const findings = await lintSql(sql)
    const finding = findings.find((f) => f.rule === rule)
    expect(finding, JSON.stringify(findings)).toBeDefined()
    expect(finding!.severity).toBe(severity)
    expect(finding!.acknowledged).toBeUndefined()
  })

  it.each(notFlagged)('%s does not flag: %s', async (rule, sql) => {
    expect(await ruleIds(sql)).not.toContain(rule)
  })

  const hiddenCases = flagged.flatMap(([rule, sql]) => hidden(sql).map(([where, text]) => [rule, where, text] as const))
  it.each(hiddenCases)('%s ignores the statement inside a %s', async (_rule, _where, sql) => {
    expect(await ruleIds(sql)).toEqual([])
  })
}
