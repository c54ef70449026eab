import type { Node } from 'libpg-query'
import type { LintFinding, LintSeverity, TableStats } from '~contract/migrations'
import { acknowledge, readAllows, type AllowProblem, type IndexedFinding } from './acknowledge'
import { relationName, walk } from './ast'
import { describeTable } from './describe'
import { rules as defaultRules } from './index'
import { liveLookup, type LiveFacts, type LiveQuestions } from './live-facts'
import type { Rule, RuleContext } from './rule'
import { parseFile, type ParsedStatement } from './statements'

export interface LintContext {
  /** Live stats keyed "schema.table" or "table", as the findings name them (see tableStatsFor). */
  tableStats?: Map<string, TableStats>
  /** server_version_num of the target, for version-dependent rules. */
  serverVersionNum?: number
  /** Catalog facts for the questions a first pass asked (live.ts). */
  facts?: LiveFacts
  /** Filled by a first pass with what the rules want to know about the target. */
  questions?: LiveQuestions
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
  const visitors = visitorsByTag(rules)
  // One context per rule for the whole file, reporting on the statement being visited: no
  // per-statement allocations, which add up over 100,000 statements × 30 rules.
  let current = { stmt: statements[0], index: 0 }
  const live = liveLookup(context.facts, context.questions, context.tableStats)
  const contexts = new Map<Rule, RuleContext>(rules.map((rule) => [rule, {
    createdInFile: (name) => created.some((c) => sameRelation(c, name)),
    describe: (name) => describeTable(name, context.tableStats?.get(name)),
    lineAt,
    live,
    serverVersionNum: context.serverVersionNum,
    report: (message, tables) => findings.push({
      rule: rule.id, severity: rule.severity, message, line: current.stmt.line, statement: current.stmt.sql, statementIndex: current.index,
      ...(tables?.length ? { tables } : {}),
    }),
  }]))
  for (const rule of rules.filter((r) => r.file)) {
    const ctx = contexts.get(rule)!
    rule.file!(statements, { ...ctx, report: (index, message) => {
      current = { stmt: statements[index], index }
      ctx.report(message)
    } })
  }
  statements.forEach((stmt, index) => {
    current = { stmt, index }
    for (const rule of rules) rule.statement?.(stmt.node, contexts.get(rule)!)
    // One walk of the statement's tree for all rules, not one per rule.
    walk(stmt.node, (tag, child) => {
      for (const [rule, visit] of visitors.get(tag) ?? []) visit(child, contexts.get(rule)!)
    })
    created.push(...createdBy(stmt.node))
  })
  const known = new Set(rules.map((r) => r.id))
  const { allows, problems } = readAllows(comments, statements, lineAt, known)
  problems.push(...acknowledge(findings, allows, statements))
  const all: LintFinding[] = [...findings.map(({ statementIndex: _, ...f }) => f), ...problems.map((p) => allowFinding(p, statements))]
  return all.sort((a, b) => a.line - b.line || RANK[a.severity] - RANK[b.severity])
}

type Visitor = (n: object, c: RuleContext) => void

function visitorsByTag(rules: Rule[]): Map<string, [Rule, Visitor][]> {
  const byTag = new Map<string, [Rule, Visitor][]>()
  for (const rule of rules) {
    for (const [tag, visit] of Object.entries((rule.visit ?? {}) as Record<string, Visitor | undefined>)) {
      if (visit) byTag.set(tag, [...(byTag.get(tag) ?? []), [rule, visit]])
    }
  }
  return byTag
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
