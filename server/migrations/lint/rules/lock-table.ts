import type { Rule } from '../rule'
import { rangeVarNames } from '../ast'

// LockStmt.mode is the lock mode number (lockdefs.h); LOCK without a mode means ACCESS EXCLUSIVE.
const MODES = ['', 'ACCESS SHARE', 'ROW SHARE', 'ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'EXCLUSIVE', 'ACCESS EXCLUSIVE']

export const lockTable: Rule = {
  id: 'lock-table',
  severity: 'warning',
  summary: 'LOCK TABLE holds a lock until the migration commits',
  visit: {
    LockStmt: (node, ctx) => {
      const mode = node.mode ?? 8
      const tables = rangeVarNames(node.relations)
      const blocks = mode === 8 ? 'every read and write waits' : mode >= 5 ? 'every write waits' : 'conflicting DDL waits'
      ctx.report(`LOCK TABLE ${tables.map(ctx.describe).join(', ')} IN ${MODES[mode] ?? mode} MODE: ${blocks} until the migration's transaction ends.`, tables)
    },
  },
}
