import type { SchemaPrivileges, Source } from '~contract/privileges'
import type { Draft, RuleInput } from './findings'
import { listWords, plural } from './findings'
import { alterOwnerSql, appDefaultPrivilegesSql, appGrantSql, grantStep, ownershipStep, q, qf, revokeMembershipSql, revokeStep, usageSql, type Stmt } from './remediation'
import { bySchema, eachRelationSql, ownedBy, run, runUnlessLinked } from './remediation-bulk'

interface Owned { kind: string, schema: string, name: string, linkedTo: string | null }
interface Group { owner: string, source: Source, relations: Owned[], schemas: SchemaPrivileges[], database: boolean }

const KIND_ORDER = ['table', 'partitioned table', 'view', 'materialized view', 'sequence']
const isTable = (o: Owned) => o.kind === 'table' || o.kind === 'partitioned table'

/** Ownership powers (DROP, ALTER, TRUNCATE: no GRANT can give or take them), grouped by owning role. */
export function ownershipFindings(input: RuleInput): Draft[] {
  return [...groupByOwner(input).values()].flatMap((g) => {
    if (g.source.kind === 'owner') return direct(input, g)
    return g.source.setRoleOnly ? [memberOfOwner(input, g)] : inherited(input, g)
  })
}

function direct({ report, ctx }: RuleInput, g: Group): Draft[] {
  const { role } = report
  const owner = ctx.ownerRole.name
  const out: Draft[] = []
  if (g.database) {
    out.push({
      severity: 'destructive', code: 'owns-database', objects: [report.database.name], needsOwnerRole: true,
      message: `${role} owns the database ${report.database.name}: it can DROP DATABASE, losing every table in it at once.${publicSchemaNote(report)}`,
      sql: ownershipStep(`ALTER DATABASE ${q(report.database.name)} OWNER TO ${q(owner)};\n${connectSql(report)}`),
    })
  }
  if (g.schemas.length > 0) out.push(schemaDraft(g, `${role} owns`, true, ownershipStep(...g.schemas.map((s) => `ALTER SCHEMA ${q(s.name)} OWNER TO ${q(owner)};\n${usageSql(s.name, role)}`))))
  if (g.relations.length > 0) {
    const visible = g.relations.filter((o) => o.linkedTo === null)
    out.push({
      severity: g.relations.some(isTable) ? 'destructive' : 'warning', code: 'owns-tables', needsOwnerRole: true,
      objects: visible.map((o) => `${o.schema}.${o.name}`),
      message: `${role} owns ${countWords(visible)}, so it can DROP and ALTER ${them(visible)}${truncateWords(g, visible)} without any GRANT — and no REVOKE can take that away while it owns ${them(visible)}.`,
      sql: [
        // Each object goes with the app's grants on it, so the app keeps working if the script stops midway.
        // Sequences behind serial/identity columns follow their table: ALTER SEQUENCE on them fails.
        ...bySchema(visible, (o) => ownershipStep([
          alterOwnerSql(o.kind, o.schema, o.name, owner),
          ...[o, ...g.relations.filter((s) => s.linkedTo === `${o.schema}.${o.name}`)].map((x) => appGrantSql(x.kind, x.schema, x.name, role)),
        ].join('\n')), (schema, items) => ownershipStep(`-- the ${items.length} tables, views and sequences ${q(role)} owns in schema ${q(schema)}, in one loop\n${
          eachRelationSql(schema, ownedBy(role), [runUnlessLinked(`ALTER TABLE %1$s OWNER TO ${qf(owner)}`), run(`GRANT %2$s %1$s TO ${qf(role)}`)])}`)),
        ...defaultGrants(g, role, owner),
      ],
    })
  }
  return out
}

function inherited({ report, ctx }: RuleInput, g: Group): Draft[] {
  const { role } = report
  const how = g.owner === 'pg_database_owner'
    ? `As owner of the database, ${role} is a member of pg_database_owner (${g.source.via?.join(' → ')}) and so the owner`
    : `${role} is a member of ${g.owner} (${g.source.via?.join(' → ')}) and inherits its ownership`
  const revoke = revokeMembershipSql(role, ctx.hops(g.owner), report.serverVersionNum)
  const out: Draft[] = []
  if (g.database) {
    out.push({
      severity: 'destructive', code: 'owns-database', objects: [report.database.name],
      message: `${how} of the database ${report.database.name}: it can DROP DATABASE, without even SET ROLE, losing every table in it at once.`,
      sql: [...revoke, ...grantStep(connectSql(report))],
    })
  }
  if (g.schemas.length > 0) out.push(schemaDraft(g, `${how} of`, false, [...revoke, ...grantStep(...g.schemas.map((s) => usageSql(s.name, role)))]))
  if (g.relations.length > 0) {
    const visible = g.relations.filter((o) => o.linkedTo === null)
    out.push({
      severity: g.relations.some(isTable) ? 'destructive' : 'warning', code: 'owns-tables',
      objects: visible.map((o) => `${o.schema}.${o.name}`),
      message: `${how} of ${countWords(visible)}: it can DROP and ALTER ${them(visible)}${truncateWords(g, visible)} without even SET ROLE.`,
      sql: [...revoke, ...keepWorking(g, role), ...(g.owner.startsWith('pg_') ? [] : defaultGrants(g, role, g.owner))],
    })
  }
  return out
}

function memberOfOwner({ report, ctx }: RuleInput, g: Group): Draft {
  const { role } = report
  const visible = g.relations.filter((o) => o.linkedTo === null)
  const things = [
    ...(g.database ? [`the database ${report.database.name}`] : []),
    ...g.schemas.map((s) => `schema ${s.name} (${plural(s.tableCount, 'table')})`),
    ...(visible.length > 0 ? [countWords(visible)] : []),
  ]
  const destructive = g.database || g.schemas.length > 0 || g.relations.some(isTable)
  return {
    severity: destructive ? 'destructive' : 'warning', code: 'member-of-owner',
    objects: [...(g.database ? [report.database.name] : []), ...g.schemas.map((s) => s.name), ...visible.map((o) => `${o.schema}.${o.name}`)],
    message: `${role} can SET ROLE to ${g.owner} (${g.source.via?.join(' → ')}), which owns ${listWords(things)}. After SET ROLE it can DROP and ALTER ${things.length === 1 ? them(visible) : 'them'}${truncateWords(g, visible)}.`,
    sql: [...revokeStep(`-- ${q(role)} will no longer be able to SET ROLE to ${q(g.owner)}`), ...revokeMembershipSql(role, ctx.hops(g.owner), report.serverVersionNum)],
  }
}

function schemaDraft(g: Group, lead: string, moveOwner: boolean, sql: Stmt[]): Draft {
  const tables = g.schemas.reduce((n, s) => n + s.tableCount, 0)
  return {
    severity: 'destructive', code: 'owns-schema-with-tables', objects: g.schemas.map((s) => s.name), needsOwnerRole: moveOwner,
    message: `${lead} ${g.schemas.length === 1 ? 'schema' : 'schemas'} ${listWords(g.schemas.map((s) => s.name))}, holding ${plural(tables, 'table')}: DROP SCHEMA … CASCADE removes every table in it, whoever owns the tables.`,
    sql,
  }
}

/** The grants that let the app keep reading and writing its group's objects once it leaves the group. */
function keepWorking(g: Group, role: string): Stmt[] {
  return bySchema(g.relations, (o) => grantStep(appGrantSql(o.kind, o.schema, o.name, role)), (schema, items) => grantStep(
    `-- ${q(role)} keeps its rows in the ${items.length} tables, views and sequences ${q(g.owner)} owns in schema ${q(schema)}\n${
      eachRelationSql(schema, ownedBy(g.owner), [run(`GRANT %2$s %1$s TO ${qf(role)}`)])}`))
}

/** The same for the tables and sequences the owner creates later. */
function defaultGrants(g: Group, role: string, owner: string): Stmt[] {
  return grantStep(...[...new Set(g.relations.map((o) => o.schema))].flatMap((s) => appDefaultPrivilegesSql(owner, s, role)))
}

const connectSql = (report: RuleInput['report']) => `GRANT CONNECT ON DATABASE ${q(report.database.name)} TO ${q(report.role)};`

function groupByOwner({ report }: RuleInput): Map<string, Group> {
  const groups = new Map<string, Group>()
  const group = (owner: string, sources: Source[]): Group | null => {
    const source = sources.find((s) => s.kind === 'owner' || (s.kind === 'membership' && !s.grantor))
    if (!source) return null
    let g = groups.get(owner)
    if (!g) groups.set(owner, g = { owner, source, relations: [], schemas: [], database: false })
    return g
  }
  for (const t of report.tables) group(t.owner, t.sources.drop)?.relations.push({ kind: t.kind, schema: t.schema, name: t.name, linkedTo: null })
  for (const s of report.sequences) group(s.owner, s.sources.drop)?.relations.push({ kind: 'sequence', schema: s.schema, name: s.name, linkedTo: s.linkedTo })
  for (const s of report.schemas) if (s.tableCount > 0 && s.source) group(s.owner, [s.source])?.schemas.push(s)
  if (report.database.source) { const g = group(report.database.owner, [report.database.source]); if (g) g.database = true }
  return groups
}

function countWords(items: Owned[]): string {
  const words = KIND_ORDER.map((k) => [k, items.filter((o) => o.kind === k).length] as const)
    .filter(([, n]) => n > 0).map(([k, n]) => plural(n, k))
  return words.length > 0 ? listWords(words, 10) : 'nothing'
}

function truncateWords(g: Group, visible: Owned[]): string {
  if (!g.relations.some(isTable)) return ''
  return visible.every(isTable) && g.schemas.length === 0 && !g.database ? ` and TRUNCATE (empty) ${them(visible)}` : ' and TRUNCATE (empty) the tables'
}

const them = (items: unknown[]) => (items.length === 1 ? 'it' : 'them')

function publicSchemaNote(report: RuleInput['report']): string {
  const viaDbOwner = report.schemas.filter((s) => s.owner === 'pg_database_owner').map((s) => s.name)
  return viaDbOwner.length > 0 ? ` It also controls schema ${listWords(viaDbOwner)}, which belongs to pg_database_owner, i.e. to whoever owns the database.` : ''
}
