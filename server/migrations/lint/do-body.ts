import { parsePlPgSQLSync, parseSync, scanSync, type DoStmt, type Node } from 'libpg-query'
import { defElems } from './ast'

/** A static SQL statement of a DO block's body, parsed, at its line in the file. */
export interface BodyStatement {
  node: Node
  sql: string
  line: number
  /** File line of a byte offset into `sql` (where the parser places this statement's nodes). */
  lineAt: (byteOffset: number) => number
}

export interface DoBody {
  language: string
  /** Why nothing inside the body was checked (another language, or it does not parse); null when it was. */
  unchecked: string | null
  /** Every statement the body runs as written, in IF/LOOP/exception blocks too. */
  statements: BodyStatement[]
  /** EXECUTE of a statement built at run time: the expression, and its line in the file. */
  dynamic: { expr: string, line: number }[]
  /** Comments in the body; `owner` is the line of the next statement or EXECUTE below (null: none). */
  comments: { text: string, line: number, owner: number | null }[]
}

// The PL/pgSQL statements that run a string: EXECUTE, FOR … IN EXECUTE, OPEN … FOR EXECUTE, RETURN QUERY EXECUTE.
const DYNAMIC: Record<string, string> = {
  PLpgSQL_stmt_dynexecute: 'query', PLpgSQL_stmt_dynfors: 'query', PLpgSQL_stmt_open: 'dynquery', PLpgSQL_stmt_return_query: 'dynquery',
}

const cache = new WeakMap<DoStmt, DoBody>()

/**
 * Looks inside a DO block by parsing its body as a PL/pgSQL function: the SQL statements it runs,
 * each parsed on its own so the rules can check it like any other statement.
 */
export function analyseDoBody(stmt: DoStmt, lineAt: (byte: number) => number): DoBody {
  const cached = cache.get(stmt)
  if (cached) return cached
  const args = defElems(stmt.args)
  const asArg = args.find((d) => d.defname === 'as')
  const langArg = args.find((d) => d.defname === 'language')
  const body = asArg?.arg && 'String' in asArg.arg ? asArg.arg.String.sval ?? '' : ''
  const language = langArg?.arg && 'String' in langArg.arg ? (langArg.arg.String.sval ?? 'plpgsql').toLowerCase() : 'plpgsql'
  // The body starts on the line of its opening quote.
  const line = lineAt(asArg?.location ?? 0)
  let result: DoBody = { language, unchecked: `its ${language} body was not checked`, statements: [], dynamic: [], comments: [] }
  if (language === 'plpgsql') {
    try {
      const seen: DoBody = { ...result, unchecked: null }
      collect(parsePlPgSQLSync(wrapAsFunction(body)), 1, line, seen)
      seen.comments = commentsOf(body, line, [...seen.statements.map((s) => s.line), ...seen.dynamic.map((d) => d.line)])
      result = seen
    } catch (e) {
      result.unchecked = `its body does not parse as PL/pgSQL (${e instanceof Error ? e.message : String(e)}), so nothing in it was checked`
    }
  }
  cache.set(stmt, result)
  return result
}

// The body starts on the wrapper's first line, so PL/pgSQL line n is file line bodyLine + n - 1.
function wrapAsFunction(body: string): string {
  let tag = '$dbsafe_do$'
  while (body.includes(tag)) tag = tag.replace(/\$$/, '_$')
  return `CREATE FUNCTION dbsafe_do() RETURNS void LANGUAGE plpgsql AS ${tag}${body}${tag}`
}

function collect(value: unknown, lineno: number, bodyLine: number, out: DoBody): void {
  if (Array.isArray(value)) {
    for (const v of value) collect(v, lineno, bodyLine, out)
    return
  }
  if (value === null || typeof value !== 'object') return
  const here = 'lineno' in value && typeof value.lineno === 'number' ? value.lineno : lineno
  const line = bodyLine + here - 1
  for (const [key, child] of Object.entries(value)) {
    // parseMode 0 marks a whole SQL statement (the others are expressions and assignments).
    if (key === 'PLpgSQL_expr' && child.parseMode === 0) out.statements.push(...parsed(child.query, line))
    const dynamic = DYNAMIC[key] && child[DYNAMIC[key]]?.PLpgSQL_expr?.query
    if (typeof dynamic === 'string') {
      const at = bodyLine + (child.lineno ?? here) - 1
      // EXECUTE 'fixed text' runs a statement known now: checked like the others.
      const fixed = stringConstant(dynamic)
      const statements = fixed === null ? null : tryParsed(fixed, at)
      if (statements) out.statements.push(...statements)
      else out.dynamic.push({ expr: dynamic.trim(), line: at })
    }
    collect(child, here, bodyLine, out)
  }
}

function parsed(query: string, line: number): BodyStatement[] {
  const lineAt = linesOf(query, line)
  return (parseSync(query).stmts ?? []).map((raw) => ({ node: raw.stmt!, sql: query.trim(), line: lineAt(raw.stmt_location ?? 0), lineAt }))
}

function tryParsed(query: string, line: number): BodyStatement[] | null {
  try {
    return parsed(query, line)
  } catch {
    return null
  }
}

/** The text of an expression that is a single string literal, else null. */
function stringConstant(expr: string): string | null {
  const stmt = tryParsed(`SELECT ${expr}`, 1)?.[0]?.node
  const targets = stmt && 'SelectStmt' in stmt ? stmt.SelectStmt.targetList ?? [] : []
  const only = targets.length === 1 && 'ResTarget' in targets[0] ? targets[0].ResTarget.val : undefined
  return only && 'A_Const' in only && only.A_Const.sval ? only.A_Const.sval.sval ?? '' : null
}

function commentsOf(body: string, bodyLine: number, statementLines: number[]): DoBody['comments'] {
  const lineAt = linesOf(body, bodyLine)
  const bytes = Buffer.from(body, 'utf8')
  const lines = [...statementLines].sort((a, b) => a - b)
  return scanSync(body).tokens
    .filter((t) => t.tokenName === 'SQL_COMMENT' || t.tokenName === 'C_COMMENT')
    .map((t) => {
      const line = lineAt(t.start)
      return { text: bytes.subarray(t.start, t.end).toString('utf8'), line, owner: lines.find((l) => l >= line) ?? null }
    })
}

/** File line of a byte offset into `text`, whose first byte sits on `firstLine`. */
function linesOf(text: string, firstLine: number): (byteOffset: number) => number {
  const bytes = Buffer.from(text, 'utf8')
  return (offset) => {
    let line = firstLine
    for (let i = bytes.indexOf(0x0a); i !== -1 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line++
    return line
  }
}
