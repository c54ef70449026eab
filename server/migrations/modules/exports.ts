import type { ClassDeclaration, ClassExpression, Node, ObjectExpression, Program } from './babel'
import { isCommonJsExports, keyName, staticString, unwrap } from './nodes'

export interface ModuleExports {
  /** The `id` of the exported migration object, when exactly one exported object has an `id`. */
  moduleId?: string
  /** The exported class's `name` property, else its declared name (TypeORM). */
  className?: string
}

type Exported = ObjectExpression | ClassDeclaration | ClassExpression

/**
 * Reads what a module exports, statically: `export default`, `export const`, `export { x }`,
 * `module.exports =` and `exports.x =`, following a top-level variable to its value.
 */
export function readExports(program: Program): ModuleExports {
  const bindings = topLevelBindings(program)
  const exported = new Set<Exported>()
  const add = (node: Node | null | undefined) => {
    const value = resolve(node, bindings)
    if (value) exported.add(value)
  }
  for (const stmt of program.body) {
    if (stmt.type === 'ExportDefaultDeclaration') add(stmt.declaration)
    else if (stmt.type === 'ExportNamedDeclaration' && !stmt.source) {
      if (stmt.declaration?.type === 'VariableDeclaration') stmt.declaration.declarations.forEach((d) => add(d.init))
      else if (stmt.declaration?.type === 'ClassDeclaration') add(stmt.declaration)
      for (const s of stmt.specifiers) if (s.type === 'ExportSpecifier') add(s.local)
    } else if (stmt.type === 'ExpressionStatement' && stmt.expression.type === 'AssignmentExpression') {
      const left = stmt.expression.left
      if (isCommonJsExports(left) || (left.type === 'MemberExpression' && isCommonJsExports(left.object))) add(stmt.expression.right)
    }
  }
  const withId = [...exported].filter((e): e is ObjectExpression => e.type === 'ObjectExpression' && idProperty(e) !== undefined)
  const classes = [...exported].filter((e): e is ClassDeclaration | ClassExpression => e.type !== 'ObjectExpression')
  const moduleId = withId.length === 1 ? staticString(idProperty(withId[0])) : undefined
  const className = classes.length === 1 ? classNameOf(classes[0]) : undefined
  return { ...(moduleId === undefined ? {} : { moduleId }), ...(className === undefined ? {} : { className }) }
}

function topLevelBindings(program: Program): Map<string, Node> {
  const bindings = new Map<string, Node>()
  for (const stmt of program.body) {
    const decl = stmt.type === 'ExportNamedDeclaration' ? stmt.declaration : stmt
    if (decl?.type === 'VariableDeclaration') {
      for (const d of decl.declarations) if (d.id.type === 'Identifier' && d.init) bindings.set(d.id.name, d.init)
    } else if (decl?.type === 'ClassDeclaration' && decl.id) bindings.set(decl.id.name, decl)
  }
  return bindings
}

function resolve(node: Node | null | undefined, bindings: Map<string, Node>): Exported | null {
  let n = unwrap(node)
  // A chain `const a = b; const b = {…}` is followed a few steps, never in a cycle.
  for (let hops = 0; n?.type === 'Identifier' && hops < 8; hops++) n = unwrap(bindings.get(n.name))
  return n?.type === 'ObjectExpression' || n?.type === 'ClassDeclaration' || n?.type === 'ClassExpression' ? n : null
}

function idProperty(object: ObjectExpression): Node | undefined {
  const prop = object.properties.find((p) => p.type === 'ObjectProperty' && keyName(p.key, p.computed) === 'id')
  return prop?.type === 'ObjectProperty' ? prop.value : undefined
}

function classNameOf(cls: ClassDeclaration | ClassExpression): string | undefined {
  const name = cls.body.body.find((m) => m.type === 'ClassProperty' && !m.static && keyName(m.key, m.computed) === 'name')
  return (name?.type === 'ClassProperty' ? staticString(name.value) : undefined) ?? cls.id?.name
}
