import { parsePlPgSQLSync, parseSync, type DeleteStmt, type DoStmt, type DropStmt, type TruncateStmt } from 'libpg-query'
import { defElems, dropObjectNames, rangeVarNames, relationName, walk } from './ast'

export interface DoBody {
  language: string
  /** The body's first line in the file. */
  line: number
  /** False when the body is not PL/pgSQL or did not parse: nothing inside it was seen. */
  analysed: boolean
  /** DROP/TRUNCATE/DELETE statements inside the body, with their line in the file. */
  destructive: { what: string, line: number }[]
  /** EXECUTE of a string built at run time: invisible to any static check. */
  dynamicSql: number
}

const cache = new WeakMap<DoStmt, DoBody>()

/**
 * Looks inside a DO block by parsing its body as a PL/pgSQL function. Only embedded SQL
 * statements are checked, for DROP, TRUNCATE and DELETE.
 */
export function analyseDoBody(stmt: DoStmt, lineAt: (byte: number) => number): DoBody {
  const cached = cache.get(stmt)
  if (cached) return cached
  const args = defElems(stmt.args)
  const asArg = args.find((d) => d.defname === 'as')
  const langArg = args.find((d) => d.defname === 'language')
  const body = asArg?.arg && 'String' in asArg.arg ? asArg.arg.String.sval ?? '' : ''
  const language = langArg?.arg && 'String' in langArg.arg ? (langArg.arg.String.sval ?? 'plpgsql').toLowerCase() : 'plpgsql'
  const line = lineAt(asArg?.location ?? 0)
  let result: DoBody = { language, line, analysed: false, destructive: [], dynamicSql: 0 }
  if (language === 'plpgsql') {
    try {
      const seen: DoBody = { ...result, analysed: true }
      collect(parsePlPgSQLSync(wrapAsFunction(body)), 1, line, seen)
      result = seen
    } catch {
      // Not parseable here: the DO block is still flagged, as not analysed.
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
  for (const [key, child] of Object.entries(value)) {
    if (key === 'PLpgSQL_stmt_dynexecute' || key === 'PLpgSQL_stmt_dynfors') out.dynamicSql++
    if (key === 'PLpgSQL_expr' && child.parseMode === 0) {
      for (const what of destructiveIn(child.query)) out.destructive.push({ what, line: bodyLine + here - 1 })
    }
    collect(child, here, bodyLine, out)
  }
}

// parseMode 0 marks a whole SQL statement (the others are expressions and assignments).
function destructiveIn(query: string): string[] {
  const found: string[] = []
  walk(parseSync(query), (tag, node) => {
    if (tag === 'DropStmt') {
      const d = node as DropStmt
      const kind = (d.removeType ?? 'OBJECT').replace(/^OBJECT_/, '').replace(/_/g, ' ')
      found.push(`DROP ${kind} ${dropObjectNames(d.objects).join(', ')}`)
    }
    if (tag === 'TruncateStmt') found.push(`TRUNCATE ${rangeVarNames((node as TruncateStmt).relations).join(', ')}`)
    if (tag === 'DeleteStmt') found.push(`DELETE FROM ${relationName((node as DeleteStmt).relation)}`)
  })
  return found
}
