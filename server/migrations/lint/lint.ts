import type { Node } from 'libpg-query'
import type { LintFinding, LintSeverity, TableStats } from '../../../contract/migrations'
import { acknowledge, readAllows, type AllowProblem, type IndexedFinding } from './acknowledge'
import { relationName, walk } from './ast'
import { describeTable } from './describe'
import { rules as defaultRules } from './index'
import type { Rule, RuleContext } from './rule'
import { parseFile, type ParsedStatement } from './statements'

export interface LintContext {
  /** Live stats keyed "schema.table" or "table", as the findings name them (see tableStatsFor). */
  tableStats?: Map<string, TableStats>
  /** server_version_num of the target, for version-dependent rules. */
  serverVersionNum?: number
}

const RANK: Record<LintSeverity, number> = { destructive: 0, warning: 1, info: 2 }

/**
 * Lints a migration file statement by statement with the PostgreSQL parser. A file that does not
 * parse yields one `parse-error` finding (destructive: it must not run) and nothing else.
 */
export async function lintSql(sql: string, context: LintContext = {}, rules: Rule[] = defaultRules): Promise<LintFinding[]> {
  const file = await parseFile(sql)
  if (!file.ok) {
    const { message, line, lineText } = file.error
    return [{ rule: 'parse-error', severity: 'destructive', message: `${message}: the file cannot run as written.`, line, statement: lineText }]
  }
  const { statements, comments, lineAt } = file
  const created: string[] = []
  const findings: IndexedFinding[] = []
  statements.forEach((stmt, index) => {
    for (const rule of rules) {
      const ctx: RuleContext = {
        createdInFile: (name) => created.some((c) => sameRelation(c, name)),
        describe: (name) => describeTable(name, context.tableStats?.get(name)),
        lineAt,
        serverVersionNum: context.serverVersionNum,
        report: (message, tables) => findings.push({
          rule: rule.id, severity: rule.severity, message, line: stmt.line, statement: stmt.sql, statementIndex: index,
          ...(tables?.length ? { tables } : {}),
        }),
      }
      runRule(rule, stmt.node, ctx)
    }
    created.push(...createdBy(stmt.node))
  })
  const known = new Set(rules.map((r) => r.id))
  const { allows, problems } = readAllows(comments, statements, lineAt, known)
  problems.push(...acknowledge(findings, allows, statements))
  const all: LintFinding[] = [...findings.map(({ statementIndex: _, ...f }) => f), ...problems.map((p) => allowFinding(p, statements))]
  return all.sort((a, b) => a.line - b.line || RANK[a.severity] - RANK[b.severity])
}

function runRule(rule: Rule, node: Node, ctx: RuleContext): void {
  rule.statement?.(node, ctx)
  const visit = rule.visit as Record<string, ((n: object, c: RuleContext) => void) | undefined> | undefined
  if (!visit) return
  walk(node, (tag, child) => visit[tag]?.(child, ctx))
}

/** Relations a statement creates: later statements of the file lock nobody out of them. */
function createdBy(node: Node): string[] {
  if ('CreateStmt' in node) return [relationName(node.CreateStmt.relation)]
  if ('CreateTableAsStmt' in node) return [relationName(node.CreateTableAsStmt.into?.rel)]
  if ('IndexStmt' in node && node.IndexStmt.idxname) {
    const schema = node.IndexStmt.relation?.schemaname
    return [schema ? `${schema}.${node.IndexStmt.idxname}` : node.IndexStmt.idxname]
  }
  return []
}

// "events" and "public.events" are taken as the same relation: the file cannot tell which schema
// an unqualified name resolves to, and erring this way only spares a warning.
function sameRelation(a: string, b: string): boolean {
  if (a === b) return true
  const bare = (n: string) => n.slice(n.lastIndexOf('.') + 1)
  return bare(a) === bare(b) && (!a.includes('.') || !b.includes('.'))
}

function allowFinding(p: AllowProblem, statements: ParsedStatement[]): LintFinding {
  return { rule: 'allow-comment', severity: 'warning', message: p.message, line: p.line, statement: p.statement === null ? '' : statements[p.statement].sql }
}
