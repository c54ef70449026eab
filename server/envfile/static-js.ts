// Reads the literal parts of a JavaScript config file from its syntax tree, never by running it: object,
// array, string, number, boolean and null literals, and top-level `const` names bound to them. Anything
// else (a call, `process.env.X`, a spread of an import) is reported as code, with its line.
import { parse, parseExpression, type Expression, type File } from '@babel/parser'

// The node types this reader meets, named through @babel/parser's own types (its @babel/types copy is its own).
type Statement = File['program']['body'][number]
type ObjectExpression = Extract<Expression, { type: 'ObjectExpression' }>
type Property = ObjectExpression['properties'][number]
type ObjectProperty = Extract<Property, { type: 'ObjectProperty' }>
type ExportDefault = Extract<Statement, { type: 'ExportDefaultDeclaration' }>
type ArrayElement = NonNullable<Extract<Expression, { type: 'ArrayExpression' }>['elements'][number]>
export type Node = Expression | Statement | Property | ObjectProperty['key'] | ObjectProperty['value'] | ExportDefault['declaration'] | ArrayElement

export interface StaticSource { root: Node | null, scope: Map<string, Node>, text: string }

/** One property of an object literal; key null for a spread or computed key that may set anything. */
export interface Entry { key: string | null, value: Node | null, line: number, code?: string }

export type Scalar = { value: string } | { code: string }

/**
 * The value a config module exports: `module.exports = …` or `export default …` (the last one wins),
 * a `const` name followed to its initialiser. A `.json` file is one expression, as PM2 reads it.
 */
export function readStaticSource(text: string, json: boolean): StaticSource {
  if (json) return { root: parseExpression(text), scope: new Map(), text }
  const scope = new Map<string, Node>()
  let root: Node | null = null
  for (const st of parse(text, { sourceType: 'unambiguous' }).program.body) {
    if (st.type === 'VariableDeclaration' && st.kind === 'const') {
      for (const d of st.declarations) if (d.id.type === 'Identifier' && d.init) scope.set(d.id.name, d.init)
    } else if (st.type === 'ExportDefaultDeclaration') {
      root = st.declaration
    } else if (st.type === 'ExpressionStatement' && st.expression.type === 'AssignmentExpression' && isModuleExports(st.expression.left)) {
      root = st.expression.right
    }
  }
  return { root, scope, text }
}

/** Follows a top-level const name to what it is bound to (a few hops; a cycle ends as the name itself). */
export function resolve(src: StaticSource, node: Node | null | undefined, hops = 0): Node | null {
  if (!node) return null
  if (node.type === 'Identifier' && src.scope.has(node.name) && hops < 10) return resolve(src, src.scope.get(node.name), hops + 1)
  return node
}

export function asObject(src: StaticSource, node: Node | null | undefined): ObjectExpression | null {
  const n = resolve(src, node)
  return n?.type === 'ObjectExpression' ? n : null
}

/** The properties of an object literal in source order, spreads of literal objects inlined. */
export function entries(src: StaticSource, node: Node | null | undefined, depth = 0): Entry[] {
  const obj = asObject(src, node)
  if (!obj) return node ? [{ key: null, value: null, line: line(node), code: snippet(src, node) }] : []
  return obj.properties.flatMap((p): Entry[] => {
    if (p.type === 'SpreadElement') return asObject(src, p.argument) && depth < 10 ? entries(src, p.argument, depth + 1) : [{ key: null, value: null, line: line(p), code: snippet(src, p) }]
    const key = propertyKey(p)
    if (key === null) return [{ key: null, value: null, line: line(p), code: snippet(src, p.key) }]
    return p.type === 'ObjectMethod' ? [{ key, value: null, line: line(p), code: 'a method' }] : [{ key, value: p.value, line: line(p) }]
  })
}

/** The last property named `key`, as JavaScript keeps the last of duplicates. */
export function property(src: StaticSource, node: Node | null | undefined, key: string): Entry | undefined {
  return entries(src, node).filter((e) => e.key === key).at(-1)
}

/** The elements of an array literal (spreads of literal arrays inlined); a lone object counts as one. */
export function elements(src: StaticSource, node: Node | null | undefined): (Node | null)[] {
  const n = resolve(src, node)
  if (n?.type === 'ObjectExpression') return [n]
  if (n?.type !== 'ArrayExpression') return n ? [null] : []
  return n.elements.flatMap((e) => {
    if (e?.type !== 'SpreadElement') return e ? [e] : []
    return resolve(src, e.argument)?.type === 'ArrayExpression' ? elements(src, e.argument) : [null]
  })
}

/** A scalar literal as the string a child process gets in its environment (`${value}`: true → "true"). */
export function scalar(src: StaticSource, node: Node | null | undefined): Scalar {
  const n = resolve(src, node)
  switch (n?.type) {
    case 'StringLiteral': return { value: n.value }
    case 'NumericLiteral': case 'BooleanLiteral': return { value: String(n.value) }
    case 'NullLiteral': return { value: 'null' }
    case 'TemplateLiteral': if (!n.expressions.length && n.quasis[0].value.cooked != null) return { value: n.quasis[0].value.cooked }
      break
    case 'UnaryExpression': if (n.operator === '-' && n.argument.type === 'NumericLiteral') return { value: String(-n.argument.value) }
      break
  }
  return { code: n ? snippet(src, n) : 'nothing' }
}

export function line(node: Node): number {
  return node.loc?.start.line ?? 0
}

function snippet(src: StaticSource, node: Node): string {
  const text = src.text.slice(node.start ?? 0, node.end ?? 0).replace(/\s+/g, ' ')
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

function propertyKey(p: { key: Node, computed: boolean }): string | null {
  const k = p.key
  if (k.type === 'StringLiteral') return k.value
  if (k.type === 'NumericLiteral') return String(k.value)
  return !p.computed && k.type === 'Identifier' ? k.name : null
}

function isModuleExports(n: Node): boolean {
  return n.type === 'MemberExpression' && n.object.type === 'Identifier' && n.object.name === 'module'
    && !n.computed && n.property.type === 'Identifier' && n.property.name === 'exports'
}
