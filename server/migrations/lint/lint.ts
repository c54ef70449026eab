import type { Node } from 'libpg-query'
import type { LintFinding, LintSeverity, TableStats } from '~contract/migrations'
import { acknowledge, readAllow, readAllows, type AllowProblem, type IndexedFinding } from './acknowledge'
import { walk } from './ast'
import { describeTable } from './describe'
import { analyseDoBody } from './do-body'
import { FileObjects } from './file-objects'
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
 * Lints a migration file statement by statement with the PostgreSQL parser, and with them the
 * statements a DO block runs. A file that does not parse yields one `parse-error` finding
 * (destructive: it must not run) and nothing else.
 */
export async function lintSql(sql: string, context: LintContext = {}, rules: Rule[] = defaultRules): Promise<LintFinding[]> {
  const file = await parseFile(sql)
  if (!file.ok) {
    const { message, line, lineText } = file.error
    return [{ rule: 'parse-error', severity: 'destructive', message: `${message}: the file cannot run as written.`, line, statement: lineText }]
  }
  const { statements, comments, lineAt } = file
  const objects = new FileObjects()
  const prepared = new Map<string, Node>()
  const findings: IndexedFinding[] = []
  const known = new Set(rules.map((r) => r.id))
  const allowed = readAllows(comments, statements, lineAt, known)
  const visitors = visitorsByTag(rules)
  // One context per rule for the whole file, reporting on the statement being visited: no
  // per-statement allocations, which add up over 100,000 statements × 30 rules.
  const unitOf = (stmt: ParsedStatement, index: number): Unit => ({ node: stmt.node, sql: stmt.sql, line: stmt.line, lineAt, index, within: null })
  // The unit rules report on; file-level rules see the first statement's until they report.
  let current: Unit = statements.length ? unitOf(statements[0], 0) : { node: {} as Node, sql: '', line: 1, lineAt, index: 0, within: null }
  const live = liveLookup(context.facts, context.questions, context.tableStats)
  const contexts = new Map<Rule, RuleContext>(rules.map((rule) => [rule, {
    // A table the file may only have re-declared (IF NOT EXISTS) can still hold older data: destructive
    // rules count only what the file surely created; lock rules may spare a warning either way.
    createdInFile: rule.severity === 'destructive' ? (name) => objects.surelyCreated(name) : (name) => objects.created(name),
    columnInFile: (table, column) => objects.column(table, column),
    describe: (name) => describeTable(name, context.tableStats?.get(name)),
    lineAt: (byte) => current.lineAt(byte),
    live,
    get within() { return current.within },
    serverVersionNum: context.serverVersionNum,
    report: (message, tables, line) => findings.push({
      rule: rule.id, severity: rule.severity, message: current.within ? `${current.within}: ${message}` : message,
      line: line ?? current.line, statement: current.sql, statementIndex: current.index,
      ...(tables?.length ? { tables } : {}),
    }),
  }]))
  for (const rule of rules.filter((r) => r.file)) {
    const ctx = contexts.get(rule)!
    rule.file!(statements, { ...ctx, report: (index, message) => {
      current = unitOf(statements[index], index)
      ctx.report(message)
    } })
  }
  const lintUnit = (unit: Unit) => {
    current = unit
    for (const rule of rules) rule.statement?.(unit.node, contexts.get(rule)!)
    // One walk of the statement's tree for all rules, not one per rule.
    walk(unit.node, (tag, child) => {
      for (const [rule, visit] of visitors.get(tag) ?? []) visit(child, contexts.get(rule)!)
    })
    objects.record(unit.node, unit.line)
    for (const inner of runsWithin(unit)) lintUnit(inner)
  }
  // The statements a statement runs besides itself: a DO block's body, a prepared statement's query.
  const runsWithin = (unit: Unit): Unit[] => {
    const { node } = unit
    if ('DoStmt' in node) {
      const body = analyseDoBody(node.DoStmt, unit.lineAt)
      for (const c of body.comments) readAllow(c, { statement: unit.index, ...(c.owner === null ? {} : { at: c.owner }) }, known, allowed)
      return body.statements.map((s) => ({ ...s, index: unit.index, within: 'in a DO block' }))
    }
    if ('PrepareStmt' in node && node.PrepareStmt.name && node.PrepareStmt.query) prepared.set(node.PrepareStmt.name, node.PrepareStmt.query)
    const name = 'ExecuteStmt' in node ? node.ExecuteStmt.name ?? '' : ''
    const query = prepared.get(name)
    return query ? [{ ...unit, node: query, within: unit.within ?? `run by EXECUTE ${name}` }] : []
  }
  statements.forEach((stmt, index) => lintUnit(unitOf(stmt, index)))
  const problems = [...allowed.problems, ...acknowledge(findings, allowed.allows, statements)]
  const all: LintFinding[] = [...findings.map(({ statementIndex: _, ...f }) => f), ...problems.map((p) => allowFinding(p, statements))]
  return all.sort((a, b) => a.line - b.line || RANK[a.severity] - RANK[b.severity])
}

/** A statement the rules check: one of the file, or one a DO block or EXECUTE runs within it. */
interface Unit {
  node: Node
  sql: string
  line: number
  lineAt: (byteOffset: number) => number
  /** Index of the file's statement it belongs to (acknowledgement comments sit with those). */
  index: number
  /** Where it runs when not as a statement of the file, e.g. "in a DO block". */
  within: string | null
}

type Visitor = (n: object, c: RuleContext) => void

// The same rule list comes back file after file: its table is built once.
const visitorTables = new WeakMap<Rule[], Map<string, [Rule, Visitor][]>>()

function visitorsByTag(rules: Rule[]): Map<string, [Rule, Visitor][]> {
  const cached = visitorTables.get(rules)
  if (cached) return cached
  const byTag = new Map<string, [Rule, Visitor][]>()
  for (const rule of rules) {
    for (const [tag, visit] of Object.entries((rule.visit ?? {}) as Record<string, Visitor | undefined>)) {
      if (visit) byTag.set(tag, [...(byTag.get(tag) ?? []), [rule, visit]])
    }
  }
  visitorTables.set(rules, byTag)
  return byTag
}

function allowFinding(p: AllowProblem, statements: ParsedStatement[]): LintFinding {
  return { rule: 'allow-comment', severity: 'warning', message: p.message, line: p.line, statement: p.statement === null ? '' : statements[p.statement].sql }
}
