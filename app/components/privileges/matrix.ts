import type { PrivilegeReport, Source } from '~contract/privileges'

export const POWERS = ['drop', 'alter', 'truncate', 'delete', 'update', 'insert', 'select', 'reset'] as const
export type Power = (typeof POWERS)[number]
// Powers that destroy data or structure; the rest are what an app is expected to hold.
export const DANGEROUS: Power[] = ['drop', 'alter', 'truncate', 'reset']

export interface MatrixRow {
  key: string
  schema: string
  name: string
  kind: string
  owner: string
  ownedByRole: boolean
  /** null: the power does not apply to this kind of object. */
  powers: Record<Power, boolean | null>
  sources: Partial<Record<Power, Source[]>>
  dangerous: boolean
}

/** Tables, views and sequences as one list of objects × powers. */
export function matrixRows(report: PrivilegeReport): MatrixRow[] {
  const tables = report.tables.map((t) => row(t.schema, t.name, t.kind, t.owner, t.ownedByRole, {
    drop: t.canDrop, alter: t.canAlter, truncate: t.canTruncate, delete: t.canDelete, update: t.canUpdate, insert: t.canInsert, select: t.canSelect, reset: null,
  }, t.sources))
  const sequences = report.sequences.map((s) => row(s.schema, s.name, 'sequence', s.owner, s.ownedByRole, {
    drop: s.canDrop, alter: s.ownedByRole, truncate: null, delete: null, update: null, insert: null, select: s.canSelect, reset: s.canReset,
  }, { drop: s.sources.drop, alter: s.sources.drop, reset: s.sources.reset, select: s.sources.select }))
  return [...tables, ...sequences]
}

function row(schema: string, name: string, kind: string, owner: string, ownedByRole: boolean, powers: Record<Power, boolean | null>, sources: Partial<Record<Power, Source[]>>): MatrixRow {
  return { key: `${kind}:${schema}.${name}`, schema, name, kind, owner, ownedByRole, powers, sources, dangerous: DANGEROUS.some((p) => powers[p]) }
}

/** A source in plain words: "owns it", "member of app_owner (via SET ROLE)". */
export function describeSource(s: Source, role: string): string {
  const chain = s.via && s.via.length > 1 ? ` (${s.via.join(' → ')})` : ''
  const how = s.setRoleOnly ? ', after SET ROLE' : ''
  switch (s.kind) {
    case 'owner': return s.via && s.via.length > 1 ? `member of the owner ${s.via.at(-1)}${chain}${how}` : `${role} owns it`
    case 'membership': return `member of ${s.via?.at(-1) ?? '?'}${chain}${how}`
    case 'grant': return `granted directly${s.grantor ? ` by ${s.grantor}` : ''}`
    case 'public': return `granted to PUBLIC (every role)${s.grantor ? ` by ${s.grantor}` : ''}`
    case 'predefined': return `through predefined role ${s.via?.at(-1) ?? ''}${chain}${how}`
    case 'superuser': return `superuser${chain}${how}`
  }
}
