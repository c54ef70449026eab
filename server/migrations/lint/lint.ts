import type { Node } from 'libpg-query'
import type { LintFinding, LintSeverity, TableStats } from '~contract/migrations'
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
  const created = createdRelations()
  const findings: IndexedFinding[] = []
  const visitors = visitorsByTag(rules)
  // One context for the whole file, reporting for the rule and statement being visited: no
  // per-statement or per-rule allocations, which add up over 100,000 statements × 30 rules
  // and over 1,000 small files.
  let current = { stmt: statements[0], index: 0, rule: rules[0] }
  const ctx: RuleContext = {
    createdInFile: (name) => created.has(name),
    describe: (name) => describeTable(name, context.tableStats?.get(name)),
    lineAt,
    serverVersionNum: context.serverVersionNum,
    report: (message, tables) => findings.push({
      rule: current.rule.id, severity: current.rule.severity, message, line: current.stmt.line, statement: current.stmt.sql, statementIndex: current.index,
      ...(tables?.length ? { tables } : {}),
    }),
  }
  statements.forEach((stmt, index) => {
    current = { stmt, index, rule: rules[0] }
    for (const rule of rules) {
      current.rule = rule
      rule.statement?.(stmt.node, ctx)
    }
    // One walk of the statement's tree for all rules, not one per rule.
    walk(stmt.node, (tag, child) => {
      for (const [rule, visit] of visitors.get(tag) ?? []) {
        current.rule = rule
        visit(child, ctx)
      }
    })
    for (const name of createdBy(stmt.node)) created.add(name)
  })
  const known = new Set(rules.map((r) => r.id))
  const { allows, problems } = readAllows(comments, statements, lineAt, known)
  problems.push(...acknowledge(findings, allows, statements))
  const all: LintFinding[] = [...findings.map(({ statementIndex: _, ...f }) => f), ...problems.map((p) => allowFinding(p, statements))]
  return all.sort((a, b) => a.line - b.line || RANK[a.severity] - RANK[b.severity])
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
// an unqualified name resolves to, and erring this way only spares a warning. Sets, not a scan of
// the names per lookup: rules ask on most statements, and a scan made large files quadratic.
function createdRelations(): { add: (name: string) => void, has: (name: string) => boolean } {
  const names = new Set<string>()
  const bareNames = new Set<string>()
  const bare = (n: string) => n.slice(n.lastIndexOf('.') + 1)
  return {
    add: (name) => {
      names.add(name)
      bareNames.add(bare(name))
    },
    has: (name) => name.includes('.') ? names.has(name) || names.has(bare(name)) : bareNames.has(name),
  }
}

function allowFinding(p: AllowProblem, statements: ParsedStatement[]): LintFinding {
  return { rule: 'allow-comment', severity: 'warning', message: p.message, line: p.line, statement: p.statement === null ? '' : statements[p.statement].sql }
}
