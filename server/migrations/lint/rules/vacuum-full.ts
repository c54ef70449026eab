import type { Rule } from '../rule'
import { hasOption, relationName } from '../ast'

export const vacuumFull: Rule = {
  id: 'vacuum-full',
  severity: 'warning',
  summary: 'VACUUM FULL rewrites tables under an ACCESS EXCLUSIVE lock',
  visit: {
    VacuumStmt: (node, ctx) => {
      if (!node.is_vacuumcmd || !hasOption(node.options, 'full')) return
      const tables = (node.rels ?? []).flatMap((r) => ('VacuumRelation' in r ? [relationName(r.VacuumRelation.relation)] : []))
      const what = tables.length ? tables.map(ctx.describe).join(', ') : 'every table in the database'
      ctx.report(`VACUUM FULL rewrites ${what} under an ACCESS EXCLUSIVE lock: reads and writes wait until it finishes, and it needs disk space for a full copy.`, tables)
    },
  },
}
