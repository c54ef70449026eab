import pg from 'pg'
import { RefusedError } from '../errors'

/**
 * A dump is data the app role controls: a function it planted in a CHECK constraint or a default, or a
 * hand-made plain `.sql` in the backups dir, runs with the powers of whoever restores it. So restores run
 * only as a role that cannot climb out of the scratch database: not superuser, none of CREATEROLE or
 * BYPASSRLS, and not a member (directly, through a chain, or by SET ROLE) of a role that has them or of
 * the roles that reach the server's files and programs.
 */
const DANGEROUS_ROLES = ['pg_execute_server_program', 'pg_read_server_files', 'pg_write_server_files']

export interface RestoreRoleCheck {
  role: string
  /** Empty when the role is safe to restore with. */
  reasons: string[]
  /** Restores need a database of their own. */
  createdb: boolean
}

export async function checkRestoreRole(client: pg.Client): Promise<RestoreRoleCheck> {
  const { rows } = await client.query<{ role: string, rolsuper: boolean, rolcreaterole: boolean, rolbypassrls: boolean, rolcreatedb: boolean, via: { name: string, why: string }[] }>(`
    SELECT r.rolname AS role, r.rolsuper, r.rolcreaterole, r.rolbypassrls, r.rolcreatedb,
      coalesce((SELECT json_agg(json_build_object('name', b.rolname, 'why',
          CASE WHEN b.rolsuper THEN 'superuser' WHEN b.rolcreaterole THEN 'CREATEROLE' WHEN b.rolbypassrls THEN 'BYPASSRLS'
               ELSE 'reads or runs files on the server' END) ORDER BY b.rolname)
        FROM pg_roles b
        WHERE b.oid <> r.oid AND pg_has_role(r.oid, b.oid, 'MEMBER')
          AND (b.rolsuper OR b.rolcreaterole OR b.rolbypassrls OR b.rolname = ANY($1))), '[]') AS via
    FROM pg_roles r WHERE r.rolname = current_user`, [DANGEROUS_ROLES])
  const r = rows[0]
  const reasons: string[] = []
  if (r.rolsuper) reasons.push('is a superuser')
  if (r.rolcreaterole) reasons.push('has CREATEROLE')
  if (r.rolbypassrls) reasons.push('has BYPASSRLS')
  // A superuser is a member of every role: its own attribute already says it all.
  if (!r.rolsuper) for (const b of r.via) reasons.push(`is a member of ${b.name} (${b.why})`)
  return { role: r.role, reasons, createdb: r.rolcreatedb }
}

/** What an admin runs to give restores a role that passes the check. */
export const RESTORE_ROLE_SQL = "CREATE ROLE dbsafe_restore LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOBYPASSRLS PASSWORD '…';"

/** The role restores would run as could escalate: nothing is restored. `data.sql` creates a role that passes. */
export class RestoreRoleRefusedError extends RefusedError {
  constructor(message: string) {
    super(message, { code: 'unsafe-restore-role', data: { sql: RESTORE_ROLE_SQL } })
    this.name = 'RestoreRoleRefusedError'
  }
}

/** Throws when the role could escalate; `configKey` is where the admin points dbsafe at a safe one. */
export function refuseUnsafeRole(check: RestoreRoleCheck, where: string, configKey = 'restoreTestUrl'): void {
  if (!check.reasons.length) return
  throw new RestoreRoleRefusedError(`Refusing to restore as "${check.role}" on ${where}: it ${check.reasons.join(', ')}. `
    + 'A dump can carry code that runs with the restoring role\'s powers, so restores run only as a role without them. '
    + `Create one and point ${configKey} at it: ${RESTORE_ROLE_SQL}`)
}

/** The refusal for a safe role that may not create the database a restore needs, with the fix. */
export function noCreatedbRefusal(check: RestoreRoleCheck, what: string): RefusedError {
  const sql = `ALTER ROLE ${pg.escapeIdentifier(check.role)} CREATEDB;`
  return new RefusedError(`The ${what} "${check.role}" may not create databases: ${sql}`, { code: 'restore-role', data: { sql } })
}
