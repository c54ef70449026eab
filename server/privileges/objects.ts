import type {
  DatabasePrivileges, DefaultObjectType, DefaultPrivilege, SchemaPrivileges, SequencePrivileges, SequencePower, Source,
  TableKind, TablePower, TablePrivileges,
} from '~contract/privileges'
import type { DatabaseRow, DefaultAclRow, RelationRow, SchemaRow } from './catalog'
import { grantSources, ownedBy, ownershipSources, predefinedSources, superuserSources, type SourceContext } from './sources'

const KINDS: Record<string, TableKind> = { r: 'table', p: 'partitioned table', v: 'view', m: 'materialized view' }

export function buildTables(rows: RelationRow[], ctx: SourceContext): TablePrivileges[] {
  return rows.filter((r) => r.kind !== 'S').map((r) => {
    const su = superuserSources(ctx)
    const own = [...ownershipSources(r.owner, ctx), ...su]
    const read = predefinedSources('pg_read_all_data', ctx)
    const write = predefinedSources('pg_write_all_data', ctx)
    const sources: Record<TablePower, Source[]> = {
      drop: own, alter: own,
      truncate: [...own, ...grantSources(r.grants, 'TRUNCATE', ctx)],
      delete: [...own, ...grantSources(r.grants, 'DELETE', ctx), ...write],
      update: [...own, ...grantSources(r.grants, 'UPDATE', ctx), ...write],
      insert: [...own, ...grantSources(r.grants, 'INSERT', ctx), ...write],
      select: [...own, ...grantSources(r.grants, 'SELECT', ctx), ...read],
    }
    return {
      schema: r.schema, name: r.name, kind: KINDS[r.kind], owner: r.owner, ownedByRole: ownedBy(r.owner, ctx),
      canDrop: own.length > 0, canAlter: own.length > 0,
      canTruncate: r.trn || sources.truncate.length > 0,
      canDelete: r.del || sources.delete.length > 0,
      canUpdate: r.upd || sources.update.length > 0,
      canInsert: r.ins || sources.insert.length > 0,
      canSelect: r.sel || sources.select.length > 0,
      rls: { enabled: r.rlsEnabled, forced: r.rlsForced },
      sources,
    }
  })
}

export function buildSequences(rows: RelationRow[], ctx: SourceContext): SequencePrivileges[] {
  return rows.filter((r) => r.kind === 'S').map((r) => {
    const own = [...ownershipSources(r.owner, ctx), ...superuserSources(ctx)]
    const sources: Record<SequencePower, Source[]> = {
      drop: own,
      reset: [...own, ...grantSources(r.grants, 'UPDATE', ctx), ...predefinedSources('pg_write_all_data', ctx)],
      usage: [...own, ...grantSources(r.grants, 'USAGE', ctx)],
      select: [...own, ...grantSources(r.grants, 'SELECT', ctx), ...predefinedSources('pg_read_all_data', ctx)],
    }
    return {
      schema: r.schema, name: r.name, owner: r.owner, ownedByRole: ownedBy(r.owner, ctx),
      canDrop: own.length > 0,
      canReset: r.upd || sources.reset.length > 0,
      canUsage: r.usg || sources.usage.length > 0,
      canSelect: r.sel || sources.select.length > 0,
      linkedTo: r.linkedTo,
      sources,
    }
  })
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
