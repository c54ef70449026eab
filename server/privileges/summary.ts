import type { PrivilegeReview, PrivilegeSummary, SchemaCounts } from '~contract/privileges'

/** The review without its objects: verdict, findings (capped samples with full counts), role facts, per-schema counts. */
export function summarize(review: PrivilegeReview): PrivilegeSummary {
  const { tables, sequences, ...rest } = review
  // Counted off the report itself: the matrix's object list (object-list.ts) is built when a page is asked for.
  const bySchema = new Map<string, SchemaCounts>()
  const count = (schema: string, drop: boolean, alter: boolean, truncate: boolean, del: boolean) => {
    let c = bySchema.get(schema)
    if (!c) bySchema.set(schema, c = { schema, objects: 0, canDrop: 0, canAlter: 0, canTruncate: 0, canDelete: 0 })
    c.objects++
    if (drop) c.canDrop++
    if (alter) c.canAlter++
    if (truncate) c.canTruncate++
    if (del) c.canDelete++
  }
  for (const t of tables) count(t.schema, t.canDrop, t.canAlter, t.canTruncate, t.canDelete)
  // A sequence has no TRUNCATE or DELETE; ALTER is its owner's, as in the matrix.
  for (const s of sequences) count(s.schema, s.canDrop, s.ownedByRole, false, false)
  return {
    ...rest,
    counts: [...bySchema.values()].sort((a, b) => (a.schema < b.schema ? -1 : 1)),
    totals: { objects: tables.length + sequences.length, tables: tables.length, sequences: sequences.length },
  }
}
