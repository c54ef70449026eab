import type { Source } from '~contract/privileges'
import type { AclItem } from './catalog'
import type { RoleGraph } from './roles'

export interface SourceContext {
  role: string
  superuser: boolean
  graph: RoleGraph
}

export function superuserSources(ctx: SourceContext): Source[] {
  if (ctx.superuser) return [{ kind: 'superuser' }]
  // Superuser is never inherited, but a role that can SET ROLE to a superuser is one a statement away.
  if (ctx.graph.superVia) return [{ kind: 'superuser', via: ctx.graph.superVia, setRoleOnly: true }]
  return []
}

/** How the role holds an owner's powers: being the owner, or a member of it. */
export function ownershipSources(owner: string, ctx: SourceContext): Source[] {
  if (owner === ctx.role) return [{ kind: 'owner' }]
  const m = ctx.graph.members.get(owner)
  return m?.usable ? [{ kind: 'membership', via: m.via, setRoleOnly: !m.inherited }] : []
}

export function grantSources(grants: AclItem[] | null, privilege: string, ctx: SourceContext): Source[] {
  const out: Source[] = []
  for (const g of grants ?? []) {
    if (g.privilege !== privilege) continue
    if (g.grantee === null) out.push({ kind: 'public', grantor: g.grantor })
    else if (g.grantee === ctx.role) out.push({ kind: 'grant', grantor: g.grantor })
    else {
      const m = ctx.graph.members.get(g.grantee)
      if (m?.usable) out.push({ kind: 'membership', via: m.via, setRoleOnly: !m.inherited, grantor: g.grantor })
    }
  }
  return out
}

/** pg_read_all_data / pg_write_all_data (PG14+), which act on every table without any ACL entry. */
export function predefinedSources(name: 'pg_read_all_data' | 'pg_write_all_data', ctx: SourceContext): Source[] {
  const m = ctx.graph.members.get(name)
  return m?.usable ? [{ kind: 'predefined', via: m.via, setRoleOnly: !m.inherited }] : []
}

export function ownedBy(owner: string, ctx: SourceContext): boolean {
  return owner === ctx.role || ctx.graph.members.get(owner)?.usable === true
}

/** The role that receives a granted power: the role itself, PUBLIC, or the group role at the end of the chain. */
export function granteeOf(source: Source, role: string): string | null {
  if (source.kind === 'public') return null
  if (source.kind === 'membership' && source.via) return source.via[source.via.length - 1]
  return role
}
