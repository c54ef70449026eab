import type { PrivilegeReview, PrivilegeSummary, SchemaCounts } from '~contract/privileges'
import { objectEntries } from './object-list'

/** The review without its objects: verdict, findings (capped samples with full counts), role facts, per-schema counts. */
export function summarize(review: PrivilegeReview): PrivilegeSummary {
  const { tables, sequences, ...rest } = review
  const bySchema = new Map<string, SchemaCounts>()
  for (const { object: o } of objectEntries(review)) {
    let c = bySchema.get(o.schema)
    if (!c) bySchema.set(o.schema, c = { schema: o.schema, objects: 0, canDrop: 0, canAlter: 0, canTruncate: 0, canDelete: 0 })
    c.objects++
    if (o.powers.drop) c.canDrop++
    if (o.powers.alter) c.canAlter++
    if (o.powers.truncate) c.canTruncate++
    if (o.powers.delete) c.canDelete++
  }
  return {
    ...rest,
    counts: [...bySchema.values()],
    totals: { objects: tables.length + sequences.length, tables: tables.length, sequences: sequences.length },
  }
}
