import type { Rule } from '../rule'
import { relationName } from '../ast'

export const nonIdempotentCreateTable: Rule = {
  id: 'non-idempotent-create-table',
  severity: 'info',
  summary: 'CREATE TABLE without IF NOT EXISTS',
  visit: {
    CreateStmt: (node, ctx) => {
      if (node.if_not_exists) return
      ctx.report(`CREATE TABLE ${relationName(node.relation)} fails if the table already exists; the project's convention is CREATE TABLE IF NOT EXISTS.`)
    },
  },
}
