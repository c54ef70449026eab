import type pg from 'pg'
import type { PrivilegeReport } from '~contract/privileges'
import { existingRoles, loadDatabase, loadDefaultAcls, loadRelations, loadRole, loadSchemas } from './catalog'
import { buildFindings, verdictOf } from './findings'
import { buildDatabase, buildDefaultPrivileges, buildSchemas, buildSequences, buildTables } from './objects'
import { chooseOwnerRole, ownerRoleCandidates } from './remediation'
import { loadRoleGraph, publicMemberships } from './roles'
import type { SourceContext } from './sources'

export class UnknownRoleError extends Error {
  constructor(readonly role: string) {
    super(`Role "${role}" does not exist on this server`)
    this.name = 'UnknownRoleError'
  }
}

/**
 * What a role can really do in the database the pool is connected to: ownership (and so DROP),
 * grants, PUBLIC, memberships with or without INHERIT, predefined roles and superuser.
 * Works connected as a superuser or as the role itself; it only reads catalogs.
 */
export async function analyzePrivileges(pool: pg.Pool, role: string): Promise<PrivilegeReport> {
  const attrs = await loadRole(pool, role)
  if (!attrs) throw new UnknownRoleError(role)
  const { serverVersion, serverVersionNum, ...attributes } = attrs
  const [graph, relations, schemas, database, defaults, existing] = await Promise.all([
    loadRoleGraph(pool, role, serverVersionNum),
    loadRelations(pool, role),
    loadSchemas(pool, role),
    loadDatabase(pool, role),
    loadDefaultAcls(pool, role),
    existingRoles(pool, ownerRoleCandidates(role)),
  ])
  const ctx: SourceContext = { role, superuser: attributes.superuser, graph }
  const base = {
    role, serverVersion, serverVersionNum, attributes,
    memberships: publicMemberships(graph),
    database: buildDatabase(database, ctx),
    schemas: buildSchemas(schemas, ctx),
    tables: buildTables(relations, ctx),
    sequences: buildSequences(relations, ctx),
    defaultPrivileges: buildDefaultPrivileges(defaults, ctx),
  }
  const { findings, remediation } = buildFindings(base, {
    ownerRole: chooseOwnerRole(role, existing, (name) => graph.members.has(name)),
    hops: (name) => graph.members.get(name)?.hops ?? [],
    usable: (name) => graph.members.get(name)?.usable === true,
    superVia: attributes.superuser ? null : graph.superVia,
  })
  return { ...base, findings, remediation, verdict: verdictOf(findings) }
}
