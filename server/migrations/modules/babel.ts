// Babel's node types, taken from @babel/parser's own typings: the @babel/types package at the top of
// node_modules is another major version (Vue's), so it is not imported.
import type { Expression, File } from '@babel/parser'

export type { Expression, File }
export type Program = File['program']
export type Statement = Program['body'][number]
export type ObjectExpression = Extract<Expression, { type: 'ObjectExpression' }>
export type ClassDeclaration = Extract<Statement, { type: 'ClassDeclaration' }>
export type ClassExpression = Extract<Expression, { type: 'ClassExpression' }>
export type StringLiteral = Extract<Expression, { type: 'StringLiteral' }>
export type TemplateLiteral = Extract<Expression, { type: 'TemplateLiteral' }>
type MemberExpression = Extract<Expression, { type: 'MemberExpression' }>
type VariableDeclarator = Extract<Statement, { type: 'VariableDeclaration' }>['declarations'][number]
type ObjectMember = ObjectExpression['properties'][number]
type ClassMember = ClassDeclaration['body']['body'][number]
type Callee = Extract<Expression, { type: 'CallExpression' }>['callee']
type Assignee = Extract<Expression, { type: 'AssignmentExpression' }>['left']
type PropertyValue = Extract<ObjectMember, { type: 'ObjectProperty' }>['value']

/** The nodes read by their type; any other node is walked through by its fields. */
export type Node = Program | Expression | Statement | ObjectMember | ClassMember | VariableDeclarator | MemberExpression['property'] | Callee | Assignee | PropertyValue
