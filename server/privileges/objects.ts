import type {
  DatabasePrivileges, DefaultObjectType, DefaultPrivilege, SchemaPrivileges, SequencePrivileges, SequencePower, Source,
  TableKind, TablePower, TablePrivileges,
} from '~contract/privileges'
import type { AclItem, DatabaseRow, DefaultAclRow, RelationRow, SchemaRow } from './catalog'
import { grantSources, ownedBy, ownershipSources, predefinedSources, superuserSources, type SourceContext } from './sources'

const KINDS: Record<string, TableKind> = { r: 'table', p: 'partitioned table', v: 'view', m: 'materialized view' }

// Tables with the same owner and the same ACL (one parsed array per distinct ACL, see loadRelations) have the
// same sources: they are worked out once per pair and shared, so the work follows the distinct ACLs, not the tables.
function perOwnerAndAcl<T>(make: (owner: string, grants: AclItem[] | null) => T): (r: RelationRow) => T {
  const byOwner = new Map<string, Map<AclItem[] | null, T>>()
  return (r) => {
    let byAcl = byOwner.get(r.owner)
    if (!byAcl) byOwner.set(r.owner, byAcl = new Map())
    let made = byAcl.get(r.grants)
    if (made === undefined) byAcl.set(r.grants, made = make(r.owner, r.grants))
    return made
  }
}

export function buildTables(rows: RelationRow[], ctx: SourceContext): TablePrivileges[] {
  const su = superuserSources(ctx)
  const read = predefinedSources('pg_read_all_data', ctx)
  const write = predefinedSources('pg_write_all_data', ctx)
  const sourcesOf = perOwnerAndAcl((owner, grants): Record<TablePower, Source[]> => {
    const own = [...ownershipSources(owner, ctx), ...su]
    return {
      drop: own, alter: own,
      truncate: [...own, ...grantSources(grants, 'TRUNCATE', ctx)],
      delete: [...own, ...grantSources(grants, 'DELETE', ctx), ...write],
      update: [...own, ...grantSources(grants, 'UPDATE', ctx), ...write],
      insert: [...own, ...grantSources(grants, 'INSERT', ctx), ...write],
      select: [...own, ...grantSources(grants, 'SELECT', ctx), ...read],
    }
  })
  const out: TablePrivileges[] = []
  for (const r of rows) {
    if (r.kind === 'S') continue
    const sources = sourcesOf(r)
    const owns = sources.drop.length > 0
    out.push({
      schema: r.schema, name: r.name, kind: KINDS[r.kind], owner: r.owner, ownedByRole: ownedBy(r.owner, ctx),
      canDrop: owns, canAlter: owns,
      canTruncate: r.trn || sources.truncate.length > 0,
      canDelete: r.del || sources.delete.length > 0,
      canUpdate: r.upd || sources.update.length > 0,
      canInsert: r.ins || sources.insert.length > 0,
      canSelect: r.sel || sources.select.length > 0,
      rls: { enabled: r.rlsEnabled, forced: r.rlsForced },
      sources,
    })
  }
  return out
}

export function buildSequences(rows: RelationRow[], ctx: SourceContext): SequencePrivileges[] {
  const su = superuserSources(ctx)
  const read = predefinedSources('pg_read_all_data', ctx)
  const write = predefinedSources('pg_write_all_data', ctx)
  const sourcesOf = perOwnerAndAcl((owner, grants): Record<SequencePower, Source[]> => {
    const own = [...ownershipSources(owner, ctx), ...su]
    return {
      drop: own,
      reset: [...own, ...grantSources(grants, 'UPDATE', ctx), ...write],
      usage: [...own, ...grantSources(grants, 'USAGE', ctx)],
      select: [...own, ...grantSources(grants, 'SELECT', ctx), ...read],
    }
  })
  const out: SequencePrivileges[] = []
  for (const r of rows) {
    if (r.kind !== 'S') continue
    const sources = sourcesOf(r)
    out.push({
      schema: r.schema, name: r.name, owner: r.owner, ownedByRole: ownedBy(r.owner, ctx),
      canDrop: sources.drop.length > 0,
      canReset: r.upd || sources.reset.length > 0,
      canUsage: r.usg || sources.usage.length > 0,
      canSelect: r.sel || sources.select.length > 0,
      linkedTo: r.linkedTo,
      sources,
    })
  }
  return out
}

export function buildSchemas(rows: SchemaRow[], ctx: SourceContext): SchemaPrivileges[] {
  return rows.map((s) => {
    const own = [...ownershipSources(s.owner, ctx), ...superuserSources(ctx)]
    const createSources = [...own, ...grantSources(s.grants, 'CREATE', ctx)]
    return {
      name: s.name, owner: s.owner,
      canDrop: own.length > 0,
      canUsage: s.usage || own.length > 0 || grantSources(s.grants, 'USAGE', ctx).length > 0,
      canCreate: s.create || createSources.length > 0,
      createViaPublic: (s.grants ?? []).some((g) => g.grantee === null && g.privilege === 'CREATE'),
      tableCount: s.tableCount,
      source: own[0] ?? null,
      createSources,
    }
  })
}

export function buildDatabase(d: DatabaseRow, ctx: SourceContext): DatabasePrivileges {
  const own = [...ownershipSources(d.owner, ctx), ...superuserSources(ctx)]
  const has = (p: string) => own.length > 0 || grantSources(d.grants, p, ctx).length > 0
  return {
    name: d.name, owner: d.owner, ownedByRole: ownedBy(d.owner, ctx),
    canDrop: own.length > 0,
    canConnect: d.connect || has('CONNECT'),
    canCreate: d.create || has('CREATE'),
    canTemp: d.temp || has('TEMPORARY'),
    source: own[0] ?? null,
  }
}

const OBJECT_TYPES: Record<string, DefaultObjectType> = { r: 'tables', S: 'sequences', f: 'functions', T: 'types', n: 'schemas' }
const DANGEROUS: Record<DefaultObjectType, string[]> = {
  tables: ['TRUNCATE'], sequences: ['UPDATE'], schemas: ['CREATE'], functions: [], types: [],
}
// What PostgreSQL grants PUBLIC anyway; a global default ACL entry repeats it.
const BUILT_IN_PUBLIC: Partial<Record<DefaultObjectType, string>> = { functions: 'EXECUTE', types: 'USAGE' }

export function dangerousDefaults(objectType: DefaultObjectType, privileges: string[]): string[] {
  return privileges.filter((p) => DANGEROUS[objectType].includes(p))
}

export function buildDefaultPrivileges(rows: DefaultAclRow[], ctx: SourceContext): DefaultPrivilege[] {
  const out: DefaultPrivilege[] = []
  for (const r of rows) {
    const objectType = OBJECT_TYPES[r.objtype]
    if (!objectType) continue
    const relevant = r.grantee === null || r.grantee === ctx.role || ctx.graph.members.has(r.grantee)
    if (!relevant) continue
    const privileges = r.grantee === null ? r.privileges.filter((p) => p !== BUILT_IN_PUBLIC[objectType]) : r.privileges
    if (privileges.length === 0) continue
    out.push({
      grantor: r.grantor, schema: r.schema, objectType, privileges, grantee: r.grantee ?? 'PUBLIC',
      dangerous: dangerousDefaults(objectType, privileges).length > 0,
    })
  }
  return out
}
