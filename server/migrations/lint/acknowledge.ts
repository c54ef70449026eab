import type { LintFinding } from '~contract/migrations'
import type { ParsedStatement, SqlComment } from './statements'

/** `-- dbsafe:allow <rule>[,<rule>…] <reason>` found by the tokenizer, tied to one statement. */
export interface Allow {
  rules: string[]
  reason: string
  line: number
  statement: number
  /** For a comment inside a DO block: the line of the statement it sits with there. */
  at?: number
}

export interface AllowProblem {
  line: number
  /** Index of the statement the comment sits with, if any. */
  statement: number | null
  message: string
}

export interface ReadAllows {
  allows: Allow[]
  problems: AllowProblem[]
}

export type IndexedFinding = LintFinding & { statementIndex: number }

const MARKER = 'dbsafe:allow'
const USAGE = `write it as "-- ${MARKER} <rule> <reason>"`

/**
 * Reads acknowledgement comments. A comment belongs to the statement it sits in, to the statement
 * it trails on the same line, or else to the next statement below it.
 */
export function readAllows(comments: SqlComment[], statements: ParsedStatement[], lineAt: (byte: number) => number, knownRules: Set<string>): ReadAllows {
  const read: ReadAllows = { allows: [], problems: [] }
  for (const c of comments) {
    const statement = ownerOf(c, statements, lineAt)
    readAllow(c, statement === null ? null : { statement }, knownRules, read)
  }
  return read
}

/** Reads one comment sitting with statement `owner` (null: none) into `out`, if it is an acknowledgement. */
export function readAllow(c: { text: string, line: number }, owner: { statement: number, at?: number } | null, knownRules: Set<string>, out: ReadAllows): void {
  const body = commentBody(c.text)
  if (!body.startsWith(MARKER)) return
  const [ruleList = '', ...words] = body.slice(MARKER.length).trim().split(/\s+/)
  const reason = words.join(' ').trim()
  if (owner === null) {
    out.problems.push({ line: c.line, statement: null, message: `"${MARKER}" after the last statement acknowledges nothing` })
    return
  }
  const { statement } = owner
  const rules = ruleList.split(',').filter(Boolean)
  if (rules.length === 0 || reason === '') {
    out.problems.push({ line: c.line, statement, message: `"${MARKER}" needs a rule id and a reason: ${USAGE}` })
    return
  }
  const unknown = rules.filter((r) => !knownRules.has(r))
  if (unknown.length > 0) {
    out.problems.push({ line: c.line, statement, message: `"${MARKER}" names unknown rule ${unknown.map((r) => `"${r}"`).join(', ')}` })
  }
  out.allows.push({ rules: rules.filter((r) => knownRules.has(r)), reason, line: c.line, ...owner })
}

/** Marks acknowledged findings (they stay in the list) and reports acknowledgements that match nothing. */
export function acknowledge(findings: IndexedFinding[], allows: Allow[], statements: ParsedStatement[]): AllowProblem[] {
  const problems: AllowProblem[] = []
  const byStatement = new Map<number, IndexedFinding[]>()
  for (const f of findings) {
    const list = byStatement.get(f.statementIndex)
    if (list) list.push(f)
    else byStatement.set(f.statementIndex, [f])
  }
  for (const allow of allows) {
    for (const rule of allow.rules) {
      const matches = (byStatement.get(allow.statement) ?? []).filter((f) => f.rule === rule && (allow.at === undefined || f.line === allow.at))
      for (const f of matches) f.acknowledged = { reason: allow.reason }
      if (matches.length === 0) {
        const line = allow.at ?? statements[allow.statement].line
        problems.push({ line: allow.line, statement: allow.statement, message: `"${MARKER} ${rule}" matches no ${rule} finding on the statement at line ${line}` })
      }
    }
  }
  return problems
}

function commentBody(text: string): string {
  const body = text.startsWith('--') ? text.slice(2) : text.replace(/^\/\*/, '').replace(/\*\/$/, '')
  return body.trim()
}

function ownerOf(c: SqlComment, statements: ParsedStatement[], lineAt: (byte: number) => number): number | null {
  const after = firstStartingAfter(statements, c.start)
  if (after > 0 && c.start < statements[after - 1].end) return after - 1
  const next = after === statements.length ? -1 : after
  const prev = next === -1 ? statements.length - 1 : next - 1
  if (prev >= 0 && lineAt(Math.max(statements[prev].start, statements[prev].end - 1)) === c.line) return prev
  return next === -1 ? null : next
}

// Statements are in file order: a binary search, not a scan per comment, keeps files with many
// acknowledgements linear.
function firstStartingAfter(statements: ParsedStatement[], offset: number): number {
  let lo = 0
  let hi = statements.length
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (statements[mid].start > offset) hi = mid
    else lo = mid + 1
  }
  return lo
}
