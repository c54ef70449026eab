import type { Source } from '~contract/privileges'
import type { Draft, RuleInput } from './findings'
import { listWords, plural } from './findings'
import { dangerousDefaults } from './objects'
import { defaultPrivilegesRevokeSql, granteeSql, grantStep, lit, ownershipStep, q, qf, qualified, revokeGrantSql, revokeMembershipSql, revokeStep, usageSql, type Stmt } from './remediation'
import { bySchema, eachRelationSql, grantedTo, run } from './remediation-bulk'
import { granteeOf } from './sources'

/** A power that comes from an ACL entry (to the role, to PUBLIC or to a group role), not from ownership. */
const granted = (s: Source) => s.kind === 'grant' || s.kind === 'public' || (s.kind === 'membership' && s.grantor !== undefined)

export function grantFindings(input: RuleInput): Draft[] {
  return [truncateGrant(input), publicWrite(input), sequenceReset(input), schemaCreate(input), riskyDefaults(input)]
    .filter((d): d is Draft => d !== null)
}

function truncateGrant({ report }: RuleInput): Draft | null {
  const hits = report.tables.map((t) => ({ t, sources: t.sources.truncate.filter(granted) })).filter((h) => h.sources.length > 0)
  if (hits.length === 0) return null
  return {
    severity: 'destructive', code: 'truncate-grant', objects: hits.map(({ t }) => `${t.schema}.${t.name}`),
    message: `${report.role} can TRUNCATE ${plural(hits.length, 'table')} through a TRUNCATE grant (${grantees(hits.flatMap((h) => h.sources), report.role)}): TRUNCATE empties a whole table at once, with no WHERE clause.`,
    sql: revokes(report.role, hits.map(({ t, sources }) => ({ schema: t.schema, name: t.name, owner: t.owner, sources })), 'TRUNCATE', 'TABLE'),
  }
}

function publicWrite({ report }: RuleInput): Draft | null {
  const powers = ['insert', 'update', 'delete'] as const
  const hits = report.tables.map((t) => ({ t, privs: powers.filter((p) => t.sources[p].some((s) => s.kind === 'public')) }))
    .filter((h) => h.privs.length > 0)
  if (hits.length === 0) return null
  const all = [...new Set(hits.flatMap((h) => h.privs))].map((p) => p.toUpperCase())
  return {
    severity: 'warning', code: 'public-write', objects: hits.map(({ t }) => `${t.schema}.${t.name}`),
    message: `Every role (PUBLIC) can ${listWords(all)} rows in ${plural(hits.length, 'table')}, so ${report.role} can without a grant of its own — and so can any role created later.`,
    sql: bySchema(hits.map((h) => ({ ...h, schema: h.t.schema })), ({ t, privs }) => {
      const byGrantor = new Map<string | undefined, string[]>()
      for (const p of privs) for (const s of t.sources[p]) if (s.kind === 'public') byGrantor.set(s.grantor, [...(byGrantor.get(s.grantor) ?? []), p.toUpperCase()])
      const target = `TABLE ${qualified(t.schema, t.name)}`
      return [
        ...grantStep(`-- keep the next line only if the app writes ${qualified(t.schema, t.name)}\nGRANT ${privs.map((p) => p.toUpperCase()).join(', ')} ON ${target} TO ${q(report.role)};`),
        ...revokeStep(...[...byGrantor].map(([grantor, ps]) => revokeGrantSql(ps.join(', '), target, null, grantor, t.owner))),
      ]
    }, (schema, items) => [
      ...grantStep(`-- the app gets the writes PUBLIC has on the ${items.length} tables of schema ${q(schema)}: drop this block if it does not write them\n${
        eachRelationSql(schema, grantedTo(null, ['INSERT', 'UPDATE', 'DELETE']), [run(`GRANT %3$s ON TABLE %1$s TO ${qf(report.role)}`)])}`),
      ...revokeStep(`REVOKE INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${q(schema)} FROM PUBLIC;`),
      ...revokeStep(...items.flatMap(({ t, privs }) => privs.flatMap((p) => t.sources[p].filter((x) => x.kind === 'public' && x.grantor && x.grantor !== t.owner)
        .map((x) => revokeGrantSql(p.toUpperCase(), `TABLE ${qualified(t.schema, t.name)}`, null, x.grantor, t.owner))))),
    ]),
  }
}

function sequenceReset({ report }: RuleInput): Draft | null {
  const hits = report.sequences.map((s) => ({ s, sources: s.sources.reset.filter(granted) })).filter((h) => h.sources.length > 0)
  if (hits.length === 0) return null
  return {
    severity: 'warning', code: 'sequence-reset', objects: hits.map(({ s }) => `${s.schema}.${s.name}`),
    message: `${report.role} can reset ${plural(hits.length, 'sequence')} through an UPDATE grant (${grantees(hits.flatMap((h) => h.sources), report.role)}): setval() can move a sequence back, and new rows then collide with existing ids.`,
    // UPDATE also allowed nextval(); USAGE keeps inserts working.
    sql: [
      ...bySchema(hits.map(({ s }) => s), (s) => grantStep(`GRANT USAGE, SELECT ON SEQUENCE ${qualified(s.schema, s.name)} TO ${q(report.role)};`),
        (schema, items) => grantStep(`-- the app keeps nextval() on the ${items.length} sequences of schema ${q(schema)} it could reset\n${
          eachRelationSql(schema, `c.relkind = 'S' AND has_table_privilege(${lit(report.role)}, c.oid, 'UPDATE')`, [run(`GRANT USAGE, SELECT ON SEQUENCE %1$s TO ${qf(report.role)}`)])}`)),
      ...revokes(report.role, hits.map(({ s, sources }) => ({ schema: s.schema, name: s.name, owner: s.owner, sources })), 'UPDATE', 'SEQUENCE'),
    ],
  }
}

function schemaCreate({ report, ctx }: RuleInput): Draft | null {
  // Owning a schema that holds tables is reported (more severely) as owns-schema-with-tables.
  const hits = report.schemas.map((s) => ({ s, sources: s.createSources.filter((x) => x.kind !== 'superuser' && (granted(x) || s.tableCount === 0)) }))
    .filter((h) => h.sources.length > 0)
  if (hits.length === 0) return null
  const viaPublic = hits.filter((h) => h.sources.some((x) => x.kind === 'public')).map((h) => h.s.name)
  const oldDefault = report.serverVersionNum < 150000 && viaPublic.includes('public') ? ' (the default before PostgreSQL 15)' : ''
  const publicNote = viaPublic.length > 0 ? ` — as can every role, because PUBLIC has CREATE on ${listWords(viaPublic)}${oldDefault}` : ''
  return {
    severity: 'warning', code: 'schema-create', objects: hits.map((h) => h.s.name),
    needsOwnerRole: hits.some((h) => h.sources.some((x) => x.kind === 'owner')),
    message: `${report.role} can CREATE objects in schema ${listWords(hits.map((h) => h.s.name))}${publicNote}. It can add tables, views or functions there, and one named like an object others use without a schema prefix can take over their queries.`,
    sql: hits.flatMap(({ s, sources }) => sources.flatMap((x) => {
      if (granted(x)) return revokeStep(revokeGrantSql('CREATE', `SCHEMA ${q(s.name)}`, granteeOf(x, report.role), x.grantor, s.owner))
      if (x.kind === 'owner') return ownershipStep(`ALTER SCHEMA ${q(s.name)} OWNER TO ${q(ctx.ownerRole.name)};\n${usageSql(s.name, report.role)}`)
      return [...revokeMembershipSql(report.role, ctx.hops(s.owner), report.serverVersionNum), ...grantStep(usageSql(s.name, report.role))]
    })),
  }
}

const SINGULAR: Record<string, string> = { tables: 'table', sequences: 'sequence', functions: 'function', types: 'type', schemas: 'schema' }

function riskyDefaults({ report }: RuleInput): Draft | null {
  const hits = report.defaultPrivileges.filter((d) => d.dangerous)
  if (hits.length === 0) return null
  const what = hits.map((d) => `${d.grantee} gets ${dangerousDefaults(d.objectType, d.privileges).join(', ')} on every new ${SINGULAR[d.objectType]} ${d.grantor} creates${d.schema === null ? '' : ` in ${d.schema}`}`)
  return {
    severity: 'warning', code: 'default-privileges-dangerous',
    objects: hits.map((d) => `${d.schema ?? '(all schemas)'}: future ${d.objectType} of ${d.grantor} → ${d.grantee}`),
    message: `Default privileges will hand out risky powers on objects that do not exist yet: ${listWords(what)}.`,
    sql: revokeStep(...hits.map((d) => defaultPrivilegesRevokeSql(d.grantor, d.schema, dangerousDefaults(d.objectType, d.privileges), d.objectType, d.grantee))),
  }
}

interface Revoked { schema: string, name: string, owner: string, sources: Source[] }

/**
 * REVOKE of a privilege per object, or past LIST_CAP in a schema one REVOKE … ON ALL … IN SCHEMA per grantee:
 * as superuser it acts as each object's owner, so it removes exactly the owners' grants; others' stay listed.
 */
function revokes(role: string, items: Revoked[], privilege: string, kind: 'TABLE' | 'SEQUENCE'): Stmt[] {
  const one = (o: Revoked, s: Source) => revokeGrantSql(privilege, `${kind} ${qualified(o.schema, o.name)}`, granteeOf(s, role), s.grantor, o.owner)
  return bySchema(items, (o) => revokeStep(...o.sources.map((s) => one(o, s))), (schema, group) => {
    const byOwner = group.flatMap((o) => o.sources.filter((s) => !s.grantor || s.grantor === o.owner))
    const others = group.flatMap((o) => o.sources.filter((s) => s.grantor && s.grantor !== o.owner).map((s) => one(o, s)))
    const grantees = [...new Set(byOwner.map((s) => granteeOf(s, role)))]
    return revokeStep(...grantees.map((g) => `REVOKE ${privilege} ON ALL ${kind}S IN SCHEMA ${q(schema)} FROM ${granteeSql(g)};`), ...others)
  })
}

function grantees(sources: Source[], role: string): string {
  const words = new Set(sources.map((s) => {
    const g = granteeOf(s, role)
    if (g === null) return 'granted to PUBLIC, i.e. every role'
    return g === role ? 'granted to it directly' : `granted to ${g}, which it belongs to`
  }))
  return listWords([...words])
}
