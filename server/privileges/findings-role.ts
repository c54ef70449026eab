import type { Draft, ReportBase, RuleInput } from './findings'
import { listWords, plural } from './findings'
import { attributeStep, grantStep, q, revokeMembershipSql } from './remediation'

/** Findings about the role itself: attributes and predefined-role memberships. */
export function roleFindings({ report, ctx }: RuleInput): Draft[] {
  const { role, attributes: a, serverVersionNum: v } = report
  const out: Draft[] = []
  const alter = (option: string) => attributeStep(`ALTER ROLE ${q(role)} ${option};`)
  if (a.superuser) {
    out.push({
      severity: 'destructive', code: 'superuser', objects: [role],
      message: `${role} is a superuser: no permission check applies to it. It can drop the database, every schema and every table, and read or change any data.`,
      sql: [...alter('NOSUPERUSER'), ...grantStep(`-- then grant it only what the app needs, e.g. GRANT SELECT, INSERT, UPDATE, DELETE ON <its tables> TO ${q(role)};`)],
    })
  } else {
    const via = ctx.superVia
    if (via) {
      const sup = via[via.length - 1]
      out.push({
        severity: 'destructive', code: 'superuser', objects: [sup],
        message: `${role} can SET ROLE to ${sup}, which is a superuser (${via.join(' → ')}): one statement away from doing anything, including dropping the database.`,
        sql: revokeMembershipSql(role, ctx.hops(sup), v),
      })
    }
  }
  if (ctx.usable('pg_write_all_data')) {
    out.push({
      severity: 'destructive', code: 'write-all-data', objects: ['pg_write_all_data'],
      message: `${role} is a member of pg_write_all_data: it can INSERT, UPDATE and DELETE every row of every table, including tables created later, with no GRANT on them. (It does not give TRUNCATE or DROP.)`,
      sql: [...revokeMembershipSql(role, ctx.hops('pg_write_all_data'), v),
        ...grantStep(`-- grant write access only where the app needs it, e.g. GRANT INSERT, UPDATE, DELETE ON <its tables> TO ${q(role)};`)],
    })
  }
  if (a.createrole) {
    const how = v >= 160000
      ? 'it can create new roles and grant them, or itself, membership in roles it has ADMIN on'
      : 'it can create roles and grant itself membership in any non-superuser role, including roles that own tables'
    out.push({ severity: 'warning', code: 'createrole', objects: [role], message: `${role} has CREATEROLE: ${how}. That is a path to powers it was never granted.`, sql: alter('NOCREATEROLE') })
  }
  if (a.bypassrls) {
    const rls = report.tables.filter((t) => t.rls.enabled).length
    const note = rls > 0 ? ` (${plural(rls, 'table')} it can reach use RLS)` : ''
    out.push({ severity: 'warning', code: 'bypassrls', objects: [role], message: `${role} has BYPASSRLS: row-level security policies do not apply to it${note}.`, sql: alter('NOBYPASSRLS') })
  }
  if (a.replication) {
    out.push({ severity: 'warning', code: 'replication', objects: [role], message: `${role} has REPLICATION: it can stream a full copy of every database on the server.`, sql: alter('NOREPLICATION') })
  }
  if (ctx.usable('pg_read_all_data')) {
    out.push({
      severity: 'info', code: 'read-all-data', objects: ['pg_read_all_data'],
      message: `${role} is a member of pg_read_all_data: it can read every table, including ones created later.`,
      sql: revokeMembershipSql(role, ctx.hops('pg_read_all_data'), v),
    })
  }
  if (a.createdb) {
    out.push({ severity: 'info', code: 'createdb', objects: [role], message: `${role} has CREATEDB: it can create new databases (it cannot drop databases it does not own).`, sql: alter('NOCREATEDB') })
  }
  return out
}

/** Owns objects and cannot log in: what a migration owner role should be, not an app role that owns its schema. */
export function isOwnerRole(report: ReportBase, owning: Draft[]): boolean {
  const a = report.attributes
  return !a.login && !a.superuser && owning.length > 0
}

/** One finding in place of the ownership ones: its powers matter only through the logins that can act as it. */
export function ownerRoleFinding({ report }: RuleInput, owning: Draft[]): Draft {
  const objects = [...new Set(owning.flatMap((d) => d.objects))]
  const of = (code: string) => [...new Set(owning.filter((d) => d.code === code).flatMap((d) => d.objects))]
  const relations = of('owns-tables').length + of('member-of-owner').filter((o) => o.includes('.')).length
  const things = [
    ...of('owns-database').map((d) => `the database ${d}`),
    ...(of('owns-schema-with-tables').length > 0 ? [`schema ${listWords(of('owns-schema-with-tables'))}`] : []),
    ...(relations > 0 ? [plural(relations, 'table, view or sequence', 'tables, views and sequences')] : []),
  ]
  return {
    severity: 'info', code: 'owner-role', objects, sql: [],
    message: `${report.role} owns ${things.length > 0 ? listWords(things) : 'objects the app uses'} and cannot log in: it is an owner role, the role migrations should run as. That is where ownership belongs, and fine as long as the app does not log in as it, nor as a role that inherits it.`,
  }
}
