import {
  DANGEROUS_POWERS, POWERS, type ObjectChain, type ObjectKind, type ObjectPage, type ObjectQuery, type Power,
  type PrivilegeObject, type PrivilegeReport, type Source, type SourceKind,
} from '~contract/privileges'

export const MAX_PAGE = 500

interface Entry { object: PrivilegeObject, sources: Partial<Record<Power, Source[]>>, key: string, haystack: string }

// One list per analysis: a shared answer is served to every viewer for a few seconds, so its pages,
// filters and chains all read the same array, built once, and it goes when the analysis does.
const built = new WeakMap<PrivilegeReport, Entry[]>()

/** Tables, views and sequences as one list of objects × powers, by schema then name. */
export function objectEntries(report: PrivilegeReport): Entry[] {
  let list = built.get(report)
  if (!list) {
    list = [...report.tables.map((t) => entry(t.schema, t.name, t.kind, t.owner, t.ownedByRole, {
      drop: t.canDrop, alter: t.canAlter, truncate: t.canTruncate, delete: t.canDelete, update: t.canUpdate, insert: t.canInsert, select: t.canSelect, reset: null,
    }, t.sources)), ...report.sequences.map((s) => entry(s.schema, s.name, 'sequence', s.owner, s.ownedByRole, {
      drop: s.canDrop, alter: s.ownedByRole, truncate: null, delete: null, update: null, insert: null, select: s.canSelect, reset: s.canReset,
    }, { drop: s.sources.drop, alter: s.sources.drop, reset: s.sources.reset, select: s.sources.select }))]
    list.sort((a, b) => compare(a.key, b.key))
    built.set(report, list)
  }
  return list
}

/** One page of the objects matching the query, with how many match in all. */
export function objectPage(report: PrivilegeReport, query: ObjectQuery): ObjectPage {
  const offset = query.offset ?? 0
  const limit = Math.min(query.limit ?? 100, MAX_PAGE)
  const matching = filterEntries(objectEntries(report), query)
  const sorted = query.sort && query.sort !== 'name' ? [...matching].sort(by(query.sort)) : matching
  if (query.order === 'desc') sorted.reverse()
  return { total: sorted.length, offset, limit, objects: sorted.slice(offset, offset + limit).map((e) => e.object) }
}

/** Every object matching the filters (for the export), in the list's order. */
export function filterEntries(list: Entry[], query: ObjectQuery): Entry[] {
  const search = query.search?.trim().toLowerCase()
  const power = query.power
  return list.filter(({ object: o, haystack }) => (!query.schema || o.schema === query.schema)
    && (!query.kind || o.kind === query.kind)
    && (!power || (power === 'dangerous' ? o.dangerous : o.powers[power] === true))
    && (!query.source || o.sourceKinds.includes(query.source))
    && (!search || haystack.includes(search)))
}

/** The object and every chain behind its powers; null when the role has no power on it. */
export function objectChain(report: PrivilegeReport, kind: ObjectKind, schema: string, name: string): ObjectChain | null {
  const found = objectEntries(report).find((e) => e.object.kind === kind && e.object.schema === schema && e.object.name === name)
  return found ? { ...found.object, sources: found.sources } : null
}

function entry(schema: string, name: string, kind: ObjectKind, owner: string, ownedByRole: boolean,
  powers: Record<Power, boolean | null>, sources: Partial<Record<Power, Source[]>>): Entry {
  const kinds = new Set<SourceKind>()
  for (const p of POWERS) if (powers[p]) for (const s of sources[p] ?? []) kinds.add(s.kind)
  return {
    object: { schema, name, kind, owner, ownedByRole, powers, dangerous: DANGEROUS_POWERS.some((p) => powers[p]), sourceKinds: [...kinds] },
    sources,
    key: `${schema}\u0000${name}\u0000${kind}`,
    haystack: `${schema}.${name} ${owner}`.toLowerCase(),
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

// Ties keep the list's schema-then-name order: Array.prototype.sort is stable.
function by(sort: Exclude<ObjectQuery['sort'], 'name' | undefined>) {
  if (sort === 'dangerous') return (a: Entry, b: Entry) => Number(b.object.dangerous) - Number(a.object.dangerous)
  return (a: Entry, b: Entry) => compare(a.object[sort], b.object[sort])
}
