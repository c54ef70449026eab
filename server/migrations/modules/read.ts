import { readExports, type ModuleExports } from './exports'
import { collectSqlLiterals, type SqlLiteral } from './literals'
import { parseModule, type ModuleParseError } from './parse'

export interface MigrationModule extends ModuleExports {
  /** The parser's first error; the literals then come from what it could read, maybe none. */
  parseError?: ModuleParseError
  literals: SqlLiteral[]
}

/** Reads a JS/TS migration module without running it: its id, its class name, its SQL-looking literals. */
export function readMigrationModule(source: string, fileName: string): MigrationModule {
  const { ast, error } = parseModule(source, fileName)
  const parseError = error ? { parseError: error } : {}
  if (!ast) return { ...parseError, literals: [] }
  return { ...readExports(ast.program), ...parseError, literals: collectSqlLiterals(ast.program, source) }
}
