import type { AlterTableCmd, RangeVar } from 'libpg-query'
import type { Rule, RuleContext } from '../rule'
import { alterCmds, relationName } from '../ast'
import { endsTransaction, perFile } from '../file-state'

// ALTER TABLE subcommands that take a lock weaker than ACCESS EXCLUSIVE (reads go on).
const WEAKER = new Set<AlterTableCmd['subtype']>([
  'AT_SetStatistics', 'AT_ValidateConstraint', 'AT_SetRelOptions', 'AT_ResetRelOptions', 'AT_ClusterOn', 'AT_DropCluster',
  'AT_AttachPartition', 'AT_DetachPartition', 'AT_EnableTrig', 'AT_DisableTrig', 'AT_EnableAlwaysTrig', 'AT_EnableReplicaTrig',
  'AT_EnableTrigAll', 'AT_DisableTrigAll', 'AT_EnableTrigUser', 'AT_DisableTrigUser',
])

/** Tables this transaction has altered under ACCESS EXCLUSIVE, with the line of the first ALTER. */
const locked = perFile(() => new Map<string, number>())

export const dataChangeUnderLock: Rule = {
  id: 'data-change-under-lock',
  severity: 'warning',
  summary: 'UPDATE or DELETE of a table the same transaction altered: the app waits for the whole data change',
  visit: {
    TransactionStmt: (node, ctx) => {
      if (endsTransaction(node)) locked(ctx).clear()
    },
    AlterTableStmt: (node, ctx) => {
      const table = relationName(node.relation)
      if (node.objtype !== 'OBJECT_TABLE' || ctx.createdInFile(table) || locked(ctx).has(table)) return
      if (alterCmds(node).some((c) => !WEAKER.has(c.subtype) && !isForeignKey(c))) locked(ctx).set(table, ctx.lineAt(node.relation?.location ?? 0))
    },
    UpdateStmt: (node, ctx) => changed('UPDATE', node.relation, ctx),
    DeleteStmt: (node, ctx) => changed('DELETE', node.relation, ctx),
  },
}

function changed(verb: string, relation: RangeVar | undefined, ctx: RuleContext): void {
  const table = relationName(relation)
  const line = locked(ctx).get(table)
  if (line === undefined) return
  ctx.report(`${verb} of ${ctx.describe(table)} runs after the ALTER TABLE on line ${line} in the same transaction: the ACCESS EXCLUSIVE lock that ALTER took is held until the end, so the app's reads and writes of ${table} wait for the whole ${verb}. Change the data in a separate migration (in batches on a large table).`, [table])
}

// ADD FOREIGN KEY takes SHARE ROW EXCLUSIVE: reads go on.
function isForeignKey(cmd: AlterTableCmd): boolean {
  return cmd.subtype === 'AT_AddConstraint' && !!cmd.def && 'Constraint' in cmd.def && cmd.def.Constraint.contype === 'CONSTR_FOREIGN'
}
