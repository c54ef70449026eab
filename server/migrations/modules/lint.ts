import { loadModule, parseSync } from 'libpg-query'
import type { LintFinding } from '~contract/migrations'
import { lintSql, type LintContext } from '~server/migrations/lint/lint'
import { parseFile } from '~server/migrations/lint/statements'
import { migrationLanguage } from './files'
import type { Phase } from './literals'
import type { ModuleParseError } from './parse'
import { readMigrationModule } from './read'
import { firstWord } from './sql-start'
import { PLACEHOLDERS, restore, sqlOf, synthesize, toModuleFinding, type Piece } from './synthetic'

const PHASES: Phase[] = ['up', 'down', null]

/**
 * Lints the SQL embedded in a JS/TS migration module with the SQL rules, at the module's lines.
 * Each phase's literals are linted together, as the statements of one file.
 */
export async function lintMigrationModule(source: string, fileName: string, context: LintContext = {}): Promise<LintFinding[]> {
  const { parseError, literals } = readMigrationModule(source, fileName)
  const findings: LintFinding[] = parseError ? [moduleParseFinding(parseError, source, fileName, literals.length > 0)] : []
  // One stand-in per distinct expression: `${prefix}users` names the same table in every statement.
  const expressions: string[] = []
  const numbered = new Map<string, number>()
  const numberOf = (expr: string) => {
    if (!numbered.has(expr)) numbered.set(expr, expressions.push(expr) - 1)
    return numbered.get(expr)!
  }
  const pieces = literals.map((literal): Piece => ({ literal, numbers: literal.expressions.map(numberOf), placeholder: 'name' }))
  // The literals of one migration's up (or down) are linted together, as the statements of one file.
  const groups = new Map<string, Piece[]>()
  for (const phase of PHASES) {
    for (const p of pieces.filter((piece) => piece.literal.phase === phase)) {
      const key = `${phase}:${p.literal.scope}`
      const group = groups.get(key)
      if (group) group.push(p)
      else groups.set(key, [p])
    }
  }
  for (const group of groups.values()) findings.push(...await lintPhase(group, expressions, context))
  return findings.sort((a, b) => a.line - b.line)
}

async function lintPhase(pieces: Piece[], expressions: string[], context: LintContext): Promise<LintFinding[]> {
  const together = await lintTogether(pieces, expressions, context)
  if (together) return together
  // Some text does not parse as it stands: find, literal by literal, a stand-in that parses. Text
  // that never parses is SQL only when it is clearly meant as SQL; prose like "DELETE failed" is not.
  await loadModule()
  const parsing: Piece[] = []
  const unparsed: LintFinding[] = []
  for (const piece of pieces) {
    const placeholder = PLACEHOLDERS.find((p) => parses(sqlOf({ ...piece, placeholder: p })))
    if (placeholder) parsing.push({ ...piece, placeholder })
    else if (clearlySql(piece)) unparsed.push(await unparsedFinding(piece, expressions))
  }
  const linted = parsing.length ? await lintTogether(parsing, expressions, context) : []
  // Each parses alone, so together they only fail on an unforeseen interplay: then one by one.
  const each = linted ?? (await Promise.all(parsing.map((p) => lintTogether([p], expressions, context)))).flatMap((f) => f ?? [])
  return [...each, ...unparsed]
}

/** The findings of the pieces as one file, or null when that file does not parse. */
async function lintTogether(pieces: Piece[], expressions: string[], context: LintContext): Promise<LintFinding[] | null> {
  const file = synthesize(pieces)
  const findings = await lintSql(file.text, context)
  if (findings.length === 1 && findings[0].rule === 'parse-error') return null
  return findings.map((f) => toModuleFinding(f, file, expressions))
}

function parses(sql: string): boolean {
  try {
    parseSync(sql)
    return true
  } catch {
    return false
  }
}

/** Passed to `db.exec` or `sql\`…\``, or written with an upper-case keyword as SQL is. */
function clearlySql({ literal }: Piece): boolean {
  const word = firstWord(literal.quasis[0])
  return literal.executed || word === word.toUpperCase()
}

async function unparsedFinding(piece: Piece, expressions: string[]): Promise<LintFinding> {
  const sql = sqlOf(piece)
  const file = await parseFile(sql)
  const error = file.ok ? { message: 'does not parse', line: 1 } : file.error
  const { literal } = piece
  return {
    rule: 'embedded-sql-unparsed',
    severity: 'info',
    message: `This reads as SQL but does not parse (${restore(error.message, expressions)}), so no rule could check it; whether it runs is up to the app's runner.`,
    line: Math.min(literal.line + error.line - 1, literal.endLine),
    statement: restore(sql, expressions).trim(),
    phase: literal.phase,
  }
}

function moduleParseFinding(error: ModuleParseError, source: string, fileName: string, partly: boolean): LintFinding {
  const language = migrationLanguage(fileName) === 'typescript' ? 'TypeScript' : 'JavaScript'
  return {
    rule: 'module-parse-error',
    severity: 'warning',
    message: `The module does not parse as ${language}: ${error.message}. ${partly ? 'The SQL read around the error was checked, the rest was not.' : 'No SQL could be read from it.'}`,
    line: error.line,
    statement: (source.split(/\r?\n/)[error.line - 1] ?? '').trim().slice(0, 200),
    phase: null,
  }
}
