import type { Rule } from '../rule'
import { alterCmds, relationName } from '../ast'
import { endsTransaction, perFile } from '../file-state'

/** Per table, the constraints this transaction added NOT VALID, with the line of the ALTER. */
const notValid = perFile(() => new Map<string, Map<string, number>>())

export const validateInSameTransaction: Rule = {
  id: 'validate-in-same-transaction',
  severity: 'warning',
  summary: 'VALIDATE CONSTRAINT in the same transaction as the ADD … NOT VALID keeps its lock for the scan',
  visit: {
    TransactionStmt: (node, ctx) => {
      if (endsTransaction(node)) notValid(ctx).clear()
    },
    AlterTableStmt: (node, ctx) => {
      const table = relationName(node.relation)
      if (ctx.createdInFile(table)) return
      const added = notValid(ctx)
      for (const cmd of alterCmds(node)) {
        const c = cmd.subtype === 'AT_AddConstraint' && cmd.def && 'Constraint' in cmd.def ? cmd.def.Constraint : undefined
        if (c?.skip_validation && c.conname) {
          if (!added.has(table)) added.set(table, new Map())
          added.get(table)!.set(c.conname, ctx.lineAt(node.relation?.location ?? 0))
        }
        const line = cmd.subtype === 'AT_ValidateConstraint' && cmd.name ? added.get(table)?.get(cmd.name) : undefined
        if (line === undefined) continue
        ctx.report(`VALIDATE CONSTRAINT ${cmd.name} runs in the same transaction as the ALTER TABLE on line ${line} that added it NOT VALID, so the lock that ALTER took on ${ctx.describe(table)} is held for the whole validation scan and NOT VALID gains nothing. Validate it in a separate, later migration.`, [table])
      }
    },
  },
}
