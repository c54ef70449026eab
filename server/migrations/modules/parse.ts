import { parse, type ParserOptions } from '@babel/parser'
import type { File } from './babel'
import { extname } from 'node:path'
import { migrationLanguage } from './files'

export interface ModuleParseError {
  message: string
  /** 1-based line in the module. */
  line: number
}

export interface ParsedModule {
  /** Null when the parser gave up; with recoverable errors, the tree of what it read. */
  ast: File | null
  error?: ModuleParseError
}

/**
 * Parses a module as its tool would load it. Recoverable errors still give a tree, so the SQL in
 * the rest of the module is checked; the first error is reported either way.
 */
export function parseModule(source: string, fileName: string): ParsedModule {
  const options: ParserOptions = {
    sourceType: sourceTypeOf(fileName),
    errorRecovery: true,
    plugins: migrationLanguage(fileName) === 'typescript' ? ['typescript', 'decorators-legacy'] : [],
  }
  try {
    const ast = parse(source, options)
    const [first] = ast.errors ?? []
    return first ? { ast, error: parseError(first) } : { ast }
  } catch (e) {
    return { ast: null, error: parseError(e) }
  }
}

function sourceTypeOf(fileName: string): ParserOptions['sourceType'] {
  const ext = extname(fileName).toLowerCase()
  if (ext === '.mjs' || ext === '.mts') return 'module'
  if (ext === '.cjs' || ext === '.cts') return 'commonjs'
  return 'unambiguous'
}

function parseError(e: unknown): ModuleParseError {
  if (e instanceof RangeError) return { message: 'it nests deeper than the parser can follow', line: 1 }
  const loc = (e as { loc?: { line?: number } }).loc
  // Babel appends "(line:column)" to its messages; the line is reported on its own.
  const message = (e instanceof Error ? e.message : String(e)).replace(/\.? \(\d+:\d+\)$|\.$/, '')
  return { message, line: loc?.line ?? 1 }
}
