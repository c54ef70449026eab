// Small readers over Babel's tree, shared by the export and literal walkers.
import type { Node } from './babel'

/** The expression under TypeScript's `as`, `satisfies`, `<T>x` and `x!`, and parentheses. */
export function unwrap(node: Node | null | undefined): Node | null {
  let n = node ?? null
  while (n && (n.type === 'TSAsExpression' || n.type === 'TSSatisfiesExpression' || n.type === 'TSTypeAssertion' || n.type === 'TSNonNullExpression' || n.type === 'ParenthesizedExpression')) {
    n = n.expression
  }
  return n
}

/** A string written without interpolation: 'x', "x", `x`, maybe `as const`. */
export function staticString(node: Node | null | undefined): string | undefined {
  const n = unwrap(node)
  if (n?.type === 'StringLiteral') return n.value
  if (n?.type === 'TemplateLiteral' && n.expressions.length === 0) return n.quasis[0].value.cooked ?? undefined
  return undefined
}

/** The name of a property, method or member: `up`, `'up'`, `obj.up`, `obj['up']`. */
export function keyName(key: Node, computed: boolean): string | undefined {
  if (!computed && key.type === 'Identifier') return key.name
  return staticString(key)
}

/** The last name of a callee or tag: `exec` for `db.exec`, `sql` for `sql` and `kysely.sql`. */
export function calleeName(callee: Node): string | undefined {
  if (callee.type === 'Identifier') return callee.name
  if (callee.type === 'MemberExpression' || callee.type === 'OptionalMemberExpression') return keyName(callee.property, callee.computed)
  return undefined
}

/** True for `module.exports` and `exports`, the roots of a CommonJS export. */
export function isCommonJsExports(node: Node): boolean {
  if (node.type === 'Identifier') return node.name === 'exports'
  return node.type === 'MemberExpression' && node.object.type === 'Identifier' && node.object.name === 'module' && keyName(node.property, node.computed) === 'exports'
}
