import { escapeIdentifier } from 'pg'
import type { Hop } from './roles'

// SQL for a superuser to copy and run. Every name, in statements and in `--` comments alike, goes through q
// (lit when it is compared as a string in a catalog query).

// A line break in a name would end a `--` comment early and turn the rest of the name into a statement.
// Such names are written as U&"…" with \XXXX escapes: the same identifier, on one line.
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const UNSAFE_IN_A_LINE = /[\u0000-\u001f\u007f\u0085\u2028\u2029]/

/** Quotes an identifier for a script a person copies: one line whatever the name holds. */
export function q(name: string): string {
  return UNSAFE_IN_A_LINE.test(name) ? `U&"${escapeLine(name, '"')}"` : escapeIdentifier(name)
}

/** A string literal (for a name compared in a catalog query), on one line the same way. */
export function lit(value: string): string {
  return UNSAFE_IN_A_LINE.test(value) ? `U&'${escapeLine(value, "'")}'` : `'${value.replaceAll("'", "''")}'`
}

/** An identifier inside a format() template, where % is special. */
export const qf = (name: string) => q(name).replaceAll('%', '%%')

function escapeLine(value: string, quote: string): string {
  return [...value].map((c) => {
    if (c === '\\') return '\\\\'
    if (c === quote) return quote + quote
    return UNSAFE_IN_A_LINE.test(c) ? `\\${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c
  }).join('')
}

export const qualified = (schema: string, name: string) => `${q(schema)}.${q(name)}`
export const granteeSql = (grantee: string | null) => (grantee === null ? 'PUBLIC' : q(grantee))

/** The steps of the remediation script, in the order they must run (see script.ts for why). */
export const STEPS = ['owner-role', 'ownership', 'grant', 'revoke', 'attributes'] as const
export type Step = typeof STEPS[number]

/** One statement, or lines that belong together (comments, SET ROLE … RESET ROLE, a DO block), and the step it runs in. */
export interface Stmt { step: Step, sql: string }

const at = (step: Step) => (...sql: string[]): Stmt[] => sql.map((s) => ({ step, sql: s }))
export const ownerRoleStep = at('owner-role')
export const ownershipStep = at('ownership')
export const grantStep = at('grant')
export const revokeStep = at('revoke')
export const attributeStep = at('attributes')

const ALTER_KIND: Record<string, string> = {
  'table': 'TABLE', 'partitioned table': 'TABLE', 'view': 'VIEW', 'materialized view': 'MATERIALIZED VIEW', 'sequence': 'SEQUENCE',
}

export function alterOwnerSql(kind: string, schema: string, name: string, newOwner: string): string {
  return `ALTER ${ALTER_KIND[kind]} ${qualified(schema, name)} OWNER TO ${q(newOwner)};`
}

/** What the app keeps after ownership moves away: its data, not DROP/TRUNCATE/ALTER. */
export function appGrantSql(kind: string, schema: string, name: string, role: string): string {
  if (kind === 'sequence') return `GRANT USAGE, SELECT ON SEQUENCE ${qualified(schema, name)} TO ${q(role)};`
  const privs = kind === 'materialized view' ? 'SELECT' : 'SELECT, INSERT, UPDATE, DELETE'
  return `GRANT ${privs} ON TABLE ${qualified(schema, name)} TO ${q(role)};`
}

/** REVOKE of a granted privilege (one block, maybe several lines), run as the grantor when it was not the owner. */
export function revokeGrantSql(privileges: string, target: string, grantee: string | null, grantor: string | undefined, owner: string): string {
  const stmt = `REVOKE ${privileges} ON ${target} FROM ${granteeSql(grantee)};`
  // A superuser's REVOKE acts as the object's owner, so it leaves grants made by anyone else in place.
  if (!grantor || grantor === owner) return stmt
  return `SET ROLE ${q(grantor)};\n${stmt}\nRESET ROLE;`
}

/** Cuts the reviewed role's membership chain at its first link. */
export function revokeMembershipSql(role: string, hops: Hop[], versionNum: number): Stmt[] {
  return revokeStep(...hops.flatMap((h) => {
    if (h.role === 'pg_database_owner') {
      return [`-- ${q(role)} belongs to pg_database_owner only because it owns the database: moving the database's ownership ends it`]
    }
    // From 16 a membership can be granted several times by different grantors; each grant must go.
    if (versionNum >= 160000 && h.grantors.length > 0) {
      return h.grantors.map((g) => `REVOKE ${q(h.role)} FROM ${q(role)} GRANTED BY ${q(g)};`)
    }
    return [`REVOKE ${q(h.role)} FROM ${q(role)};`]
  }))
}

export const usageSql = (schema: string, role: string) => `GRANT USAGE ON SCHEMA ${q(schema)} TO ${q(role)};`

export function defaultPrivilegesRevokeSql(grantor: string, schema: string | null, privileges: string[], objectType: string, grantee: string): string {
  const inSchema = schema === null ? '' : ` IN SCHEMA ${q(schema)}`
  const to = grantee === 'PUBLIC' ? 'PUBLIC' : q(grantee)
  return `ALTER DEFAULT PRIVILEGES FOR ROLE ${q(grantor)}${inSchema} REVOKE ${privileges.join(', ')} ON ${objectType.toUpperCase()} FROM ${to};`
}

export function appDefaultPrivilegesSql(owner: string, schema: string, role: string): string[] {
  const prefix = `ALTER DEFAULT PRIVILEGES FOR ROLE ${q(owner)} IN SCHEMA ${q(schema)}`
  return [
    `${prefix} GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${q(role)};`,
    `${prefix} GRANT USAGE, SELECT ON SEQUENCES TO ${q(role)};`,
  ]
}

/** A role name for the migration owner that does not collide with an unsuitable existing role. */
export function ownerRoleCandidates(role: string): string[] {
  const base = role.slice(0, 50)
  return [`${base}_owner`, ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => `${base}_owner${n}`)]
}

export function chooseOwnerRole(role: string, existing: Set<string>, isMember: (name: string) => boolean): { name: string, exists: boolean } {
  const candidates = ownerRoleCandidates(role)
  for (const name of candidates) {
    if (!existing.has(name)) return { name, exists: false }
    if (!isMember(name)) return { name, exists: true }
  }
  return { name: candidates[candidates.length - 1], exists: true }
}

export function createOwnerRoleSql(name: string): Stmt[] {
  return ownerRoleStep(`CREATE ROLE ${q(name)} NOLOGIN;`)
}
