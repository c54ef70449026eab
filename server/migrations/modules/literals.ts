import type { Node, Program, StringLiteral, TemplateLiteral } from './babel'
import { calleeName, keyName } from './nodes'
import { startsLikeSql } from './sql-start'

export type Phase = 'up' | 'down' | null

/** A string or template literal whose text starts like SQL, outside log and error messages. */
export interface SqlLiteral {
  /** The text between interpolations, as the program sees it (escapes resolved). */
  quasis: string[]
  /** The source of each interpolation, `${table}`, in order. */
  expressions: string[]
  /** 1-based module lines of the text's first and last characters. */
  line: number
  endLine: number
  /** From the nearest enclosing function or property named `up` or `down`. */
  phase: Phase
  /**
   * The migration the literal belongs to, as the source offset of its `up`/`down`, or, outside both, of the
   * nearest object literal, property or function: a store of many migrations in one module (pg-boss's
   * `install`/`uninstall` lists per version) is many migrations.
   */
  scope: number
  /** Passed straight to a call or tag that runs SQL (`db.exec(…)`, `knex.raw(…)`, `sql\`…\``). */
  executed: boolean
}

// Calls and tags that send their argument to the database, in the tools migrations use.
const SQL_SINKS = new Set(['exec', 'execute', 'query', 'raw', 'sql', 'unsafe', 'none', 'one', 'many', 'any', 'oneOrNone', 'manyOrNone', 'multi', 'result', 'run', 'executeQuery', '$executeRaw', '$executeRawUnsafe', '$queryRaw', '$queryRawUnsafe'])
const LOG_CALLS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'fatal'])
// Trees that hold no SQL the program runs: imports and types.
const SKIPPED = new Set(['ImportDeclaration', 'ExportAllDeclaration', 'TSInterfaceDeclaration', 'TSTypeAliasDeclaration', 'TSTypeAnnotation', 'TSDeclareFunction', 'TSEnumDeclaration'])
const NOT_CHILDREN = new Set(['type', 'loc', 'start', 'end', 'range', 'extra', 'leadingComments', 'trailingComments', 'innerComments', 'typeParameters', 'typeArguments', 'returnType', 'typeAnnotation', 'superTypeParameters'])

interface Visit { node: Node, phase: Phase, scope: number, muted: boolean, executed: boolean }

const SCOPES = new Set(['ObjectExpression', 'ObjectProperty', 'FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression', 'ObjectMethod', 'ClassMethod'])

/** Every SQL-looking literal of the module in source order; comments are not in the tree, so never read. */
export function collectSqlLiterals(program: Program, source: string): SqlLiteral[] {
  const found: { start: number, literal: SqlLiteral }[] = []
  // Iterative: a generated module can nest deeper than the call stack allows.
  const stack: Visit[] = [{ node: program, phase: null, scope: 0, muted: false, executed: false }]
  for (let visit = stack.pop(); visit; visit = stack.pop()) {
    const { node } = visit
    if (SKIPPED.has(node.type)) continue
    const own = phaseOf(node)
    const phase = own ?? visit.phase
    const scope = own || (phase === null && SCOPES.has(node.type)) ? node.start ?? 0 : visit.scope
    const muted = visit.muted || isMessage(node)
    if (!muted && (node.type === 'StringLiteral' || node.type === 'TemplateLiteral')) {
      const literal = literalOf(node, source, phase, scope, visit.executed)
      if (startsLikeSql(literal.quasis[0])) found.push({ start: node.start ?? 0, literal })
    }
    const runsArguments = (node.type === 'CallExpression' || node.type === 'OptionalCallExpression') && SQL_SINKS.has(calleeName(node.callee) ?? '')
    const runsQuasi = node.type === 'TaggedTemplateExpression' && SQL_SINKS.has(calleeName(node.tag) ?? '')
    for (const [key, child] of childrenOf(node)) {
      stack.push({ node: child, phase, scope, muted, executed: (runsArguments && key === 'arguments') || (runsQuasi && key === 'quasi') })
    }
  }
  return found.sort((a, b) => a.start - b.start).map((f) => f.literal)
}

function literalOf(node: StringLiteral | TemplateLiteral, source: string, phase: Phase, scope: number, executed: boolean): SqlLiteral {
  const lines = { line: node.loc!.start.line, endLine: node.loc!.end.line }
  if (node.type === 'StringLiteral') return { quasis: [node.value], expressions: [], ...lines, phase, scope, executed }
  return {
    quasis: node.quasis.map((q) => q.value.cooked ?? q.value.raw),
    expressions: node.expressions.map((e) => `\${${source.slice(e.start!, e.end!)}}`),
    ...lines,
    phase,
    scope,
    executed,
  }
}

/** `up`/`down` as a method, a property, `function up`, `const up =` or `exports.up =`. */
function phaseOf(node: Node): Phase | undefined {
  let name: string | undefined
  switch (node.type) {
    case 'ObjectMethod': case 'ObjectProperty': case 'ClassMethod': case 'ClassProperty':
      name = keyName(node.key, node.computed)
      break
    case 'FunctionDeclaration': case 'FunctionExpression':
      name = node.id?.name
      break
    case 'VariableDeclarator':
      name = node.id.type === 'Identifier' ? node.id.name : undefined
      break
    case 'AssignmentExpression':
      name = node.left.type === 'MemberExpression' ? keyName(node.left.property, node.left.computed) : undefined
      break
  }
  return name === 'up' || name === 'down' ? name : undefined
}

/** Log calls, errors and throws: their text is a message, even when it reads "DROP …". */
function isMessage(node: Node): boolean {
  if (node.type === 'ThrowStatement') return true
  if (node.type !== 'CallExpression' && node.type !== 'OptionalCallExpression' && node.type !== 'NewExpression') return false
  const callee = node.callee
  if ((callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') && callee.object.type === 'Identifier' && callee.object.name === 'console') return true
  const name = calleeName(callee) ?? ''
  return LOG_CALLS.has(name) || name.endsWith('Error')
}

function* childrenOf(node: Node): Generator<[string, Node]> {
  const keyed = 'key' in node && 'computed' in node && !node.computed
  for (const [key, value] of Object.entries(node)) {
    if (NOT_CHILDREN.has(key) || (keyed && key === 'key') || !value || typeof value !== 'object') continue
    if (Array.isArray(value)) {
      for (const v of value) if (v && typeof v.type === 'string') yield [key, v]
    } else if (typeof value.type === 'string') yield [key, value]
  }
}
