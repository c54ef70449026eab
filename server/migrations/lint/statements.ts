import { hasSqlDetails, loadModule, parseSync, type Node } from 'libpg-query'
import type { MigrationStatement } from '~contract/migrations'
import { commentRanges, isSpace } from './comments'
import { needsOwnTransaction } from './transaction'
import { transactionControlOf } from './transaction-control'

export interface ParsedStatement {
  node: Node
  /** The statement's text, trimmed, without its semicolon. */
  sql: string
  /** 1-based line of the statement's first token. */
  line: number
  /** Byte offsets in the file: first token, and end of the statement's text. */
  start: number
  end: number
}

export interface SqlComment {
  text: string
  start: number
  end: number
  line: number
}

export interface ParseFailure {
  message: string
  line: number
  /** The text of the line the parser stopped at. */
  lineText: string
}

export type ParsedFile =
  | { ok: true, statements: ParsedStatement[], comments: SqlComment[], lineAt: (byteOffset: number) => number }
  | { ok: false, error: ParseFailure }

export class MigrationParseError extends Error {
  constructor(readonly failure: ParseFailure) {
    super(`line ${failure.line}: ${failure.message}`)
  }
}

/**
 * Parses a file with the PostgreSQL parser. The parser reports positions as byte offsets into
 * the UTF-8 text, so every offset is resolved against the bytes, never the JS string.
 */
export async function parseFile(sql: string): Promise<ParsedFile> {
  await loadModule()
  if (sql === '') return { ok: true, statements: [], comments: [], lineAt: () => 1 }
  let stmts
  try {
    stmts = parseSync(sql).stmts ?? []
  } catch (e) {
    return { ok: false, error: parseFailure(sql, e) }
  }
  const bytes = Buffer.from(sql, 'utf8')
  const lineAt = lineIndex(bytes)
  const comments = commentRanges(bytes).map(({ start, end }) => ({
    text: bytes.subarray(start, end).toString('utf8'), start, end, line: lineAt(start),
  }))
  // Statements and comments both come in file order: one cursor over the comments for all
  // statements keeps this linear (a search from the top per statement made large files quadratic).
  let next = 0
  const statements = stmts.map((raw) => {
    const from = raw.stmt_location ?? 0
    const end = raw.stmt_len ? from + raw.stmt_len : bytes.length
    // Leading comments belong to the gap before a statement, not to its text.
    let start = from
    for (;;) {
      while (start < end && isSpace(bytes[start])) start++
      while (next < comments.length && comments[next].start < start) next++
      if (next >= comments.length || comments[next].start !== start) break
      start = comments[next].end
    }
    if (start >= end) start = from
    return { node: raw.stmt!, sql: bytes.subarray(start, end).toString('utf8').trim(), line: lineAt(start), start, end }
  })
  return { ok: true, statements, comments, lineAt }
}

/**
 * The statements a runner executes one by one, in order. Throws MigrationParseError when the
 * file does not parse: nothing of it may run then.
 */
export async function splitStatements(sql: string, serverVersionNum?: number): Promise<MigrationStatement[]> {
  const file = await parseFile(sql)
  if (!file.ok) throw new MigrationParseError(file.error)
  return file.statements.map((s) => runnable(s, serverVersionNum))
}

/** A parsed statement as a runner executes it. */
export function runnable(s: ParsedStatement, serverVersionNum?: number): MigrationStatement {
  const control = transactionControlOf(s.node)
  return { sql: s.sql, line: s.line, nonTransactional: needsOwnTransaction(s.node, serverVersionNum), ...(control ? { transactionControl: control } : {}) }
}

function parseFailure(sql: string, e: unknown): ParseFailure {
  const message = e instanceof Error ? e.message : String(e)
  // cursorPosition counts characters (code points), 0-based; not bytes and not UTF-16 units.
  const pos = hasSqlDetails(e) ? e.sqlDetails?.cursorPosition ?? 0 : 0
  const before = Array.from(sql).slice(0, pos).join('')
  const line = before.split('\n').length
  const lineText = sql.split('\n')[line - 1]?.trim() ?? ''
  return { message, line, lineText }
}

function lineIndex(bytes: Buffer): (byteOffset: number) => number {
  const starts = [0]
  for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) starts.push(i + 1)
  return (offset) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid] <= offset) lo = mid
      else hi = mid - 1
    }
    return lo + 1
  }
}
