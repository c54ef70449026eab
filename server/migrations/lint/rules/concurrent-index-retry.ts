import type { Rule } from '../rule'
import { dropObjectNames, relationName } from '../ast'
import { perFile } from '../file-state'

/** Indexes this file drops (DROP INDEX … IF EXISTS) before it creates them again. */
const dropped = perFile(() => new Set<string>())

export const concurrentIndexRetry: Rule = {
  id: 'concurrent-index-without-if-not-exists',
  severity: 'warning',
  summary: 'CREATE INDEX CONCURRENTLY without IF NOT EXISTS: a retry after a failed build trips on the invalid index left behind',
  visit: {
    DropStmt: (node, ctx) => {
      if (node.removeType !== 'OBJECT_INDEX' || !node.missing_ok) return
      for (const name of dropObjectNames(node.objects)) dropped(ctx).add(name)
    },
    IndexStmt: (node, ctx) => {
      if (!node.concurrent || node.if_not_exists) return
      const schema = node.relation?.schemaname
      const name = node.idxname && (schema ? `${schema}.${node.idxname}` : node.idxname)
      // Dropped just before: a retry clears what a failed build left.
      if (name && dropped(ctx).has(name)) return
      const table = relationName(node.relation)
      const failed = `CREATE INDEX CONCURRENTLY on ${table} leaves an invalid index behind when the build fails (a deadlock, a duplicate value, a cancel)`
      ctx.report(name
        ? `${failed}, and running the migration again then fails because the index exists. Write CREATE INDEX CONCURRENTLY IF NOT EXISTS ${node.idxname}, and after a failed build run DROP INDEX CONCURRENTLY IF EXISTS ${name} before retrying: IF NOT EXISTS alone would keep the invalid index.`
        : `${failed}, and running the migration again builds another unnamed index beside it. Name the index, write IF NOT EXISTS, and after a failed build drop the invalid index before retrying.`)
    },
  },
}
