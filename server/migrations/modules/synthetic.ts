// The SQL literals of one phase laid out as one SQL file, each at its own module line, so the
// rules see them in order ("created in this file") and report lines of the module.
import type { LintFinding } from '~contract/migrations'
import type { SqlLiteral } from './literals'

/**
 * How an interpolation is stood in for: a name parses where a table, column or value goes; a
 * comment where a whole clause may be missing (`${ifNotExists}`); a parenthesised name where a
 * list goes (`VALUES ${rows}`). Each keeps its number, so the template text can be restored.
 */
export type Placeholder = 'name' | 'gap' | 'list'
export const PLACEHOLDERS: Placeholder[] = ['name', 'gap', 'list']
const STAND_IN: Record<Placeholder, (n: number) => string> = {
  name: (n) => `dbsafe_expr_${n}_`,
  gap: (n) => `/*dbsafe_gap_${n}_*/`,
  list: (n) => `(dbsafe_list_${n}_)`,
}
const STOOD_IN = /\/\*dbsafe_gap_(\d+)_\*\/|\(dbsafe_list_(\d+)_\)|dbsafe_expr_(\d+)_/g

/** A literal, the module-wide number of each of its interpolations (one per distinct expression), and how they are stood in for. */
export interface Piece {
  literal: SqlLiteral
  numbers: number[]
  placeholder: Placeholder
}

export interface SyntheticFile {
  text: string
  /** Where each piece starts in the synthetic file, in order. */
  starts: { line: number, literal: SqlLiteral }[]
}

export function sqlOf({ literal, numbers, placeholder }: Piece): string {
  return literal.quasis.map((q, i) => (i === 0 ? q : STAND_IN[placeholder](numbers[i - 1]) + q)).join('')
}

/** Puts the stand-ins' source back: `ALTER TABLE ${table} …`, not `ALTER TABLE dbsafe_expr_3_ …`. */
export function restore(text: string, expressions: string[]): string {
  return text.replace(STOOD_IN, (match, gap, list, name) => expressions[Number(gap ?? list ?? name)] ?? match)
}

export function synthesize(pieces: Piece[]): SyntheticFile {
  let text = ''
  let line = 1
  const starts: SyntheticFile['starts'] = []
  for (const piece of pieces) {
    const sql = sqlOf(piece)
    // Each piece starts on a line of its own, its module line unless an earlier piece ran longer
    // (a "\n" escape in a string) or shares its line.
    const pad = Math.max(piece.literal.line - line, text === '' ? 0 : 1)
    text += '\n'.repeat(pad)
    line += pad
    starts.push({ line, literal: piece.literal })
    text += sql
    line += newlines(sql)
    // A `;` after a `--` comment would be part of the comment.
    if (sql.slice(sql.lastIndexOf('\n') + 1).includes('--')) {
      text += '\n;'
      line++
    } else text += ';'
  }
  return { text, starts }
}

/** A finding of the synthetic file, at its module line, with the template's text and the piece's phase. */
export function toModuleFinding(f: LintFinding, file: SyntheticFile, expressions: string[]): LintFinding {
  const { line: from, literal } = file.starts[pieceAt(file.starts, f.line)]
  // An interpolated table has no live stats to fetch.
  const { tables, ...rest } = f
  const named = tables?.filter((t) => !t.match(STOOD_IN))
  return {
    ...rest,
    line: Math.min(literal.line + Math.max(0, f.line - from), literal.endLine),
    message: restore(f.message, expressions),
    statement: restore(f.statement, expressions),
    phase: literal.phase,
    ...(named?.length ? { tables: named } : {}),
  }
}

// The last piece starting at or above the line (else the first). A binary search: a scan per
// finding made modules with thousands of findings quadratic.
function pieceAt(starts: SyntheticFile['starts'], line: number): number {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid].line <= line) lo = mid
    else hi = mid - 1
  }
  return lo
}

function newlines(text: string): number {
  let n = 0
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++
  return n
}
