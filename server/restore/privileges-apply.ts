import pg from 'pg'
import type { JobContext } from '../jobs/run'
import { withClient } from '../backups/scratch'
import { RefusedError } from '../errors'
import { objectKey, readCatalog, type CatalogSnapshot } from './catalog'
import { copySettings } from './database'
import { comparePrivileges, planPrivileges } from './privileges'
import type { RestoreSession } from './session'

export interface PrivilegesOutcome { ownerChanges: number, grants: number, statements: number, notes: string[] }

/**
 * Gives the restored database the live one's owners and privileges, read from the live catalog now (just
 * before the swap), then reads both back: anything that still differs, or is still owned by the restore
 * role, fails the restore.
 */
export async function recreatePrivileges(s: RestoreSession, newName: string, ctx: JobContext): Promise<PrivilegesOutcome> {
  const live = await withClient(s.on(s.database), async (c) => {
    const snapshot = await readCatalog(c)
    await assertMayActAs(c, s.role, snapshot)
    return snapshot
  })
  return withClient(s.on(newName), async (c) => {
    const plan = planPrivileges(live, await readCatalog(c), newName)
    ctx.log(`recreating owners and privileges: ${plan.statements.length} statements`)
    await c.query('BEGIN')
    for (const sql of plan.statements) {
      await c.query(sql).catch((err: Error) => {
        throw new Error(`Could not recreate the live owners and privileges (${err.message}) at: ${sql}`, { cause: err })
      })
    }
    await c.query('COMMIT')
    const notes = [...plan.notes, ...await copySettings(c, newName, live.database)]
    const differences = comparePrivileges(live, await readCatalog(c))
    const stillOurs = await ownedBy(c)
    const extensions = stillOurs.filter((w) => w.startsWith('extension '))
    if (extensions.length) notes.push(`owned by the restore role, as extensions cannot change owner: ${extensions.join(', ')}`)
    differences.push(...stillOurs.filter((w) => !w.startsWith('extension ')).map((w) => `${w} is still owned by or granted to the restore role`))
    if (differences.length) throw new Error(`The restored database's owners and privileges differ from the live ones: ${differences.slice(0, 10).join('; ')}`)
    for (const note of notes) ctx.log(`note: ${note}`)
    return { ownerChanges: plan.ownerChanges, grants: plan.grants, statements: plan.statements.length, notes }
  })
}

/**
 * Renaming the database and giving objects their owners needs the restore role to act as every owner.
 * Checked before anything changes, so a missing GRANT is found before the long steps. `c` is connected to
 * the live database when `live` lists its objects: pg_database_owner means its owner only there.
 */
export async function assertMayActAs(c: pg.ClientBase, restoreRole: string, live: Pick<CatalogSnapshot, 'database'> & Partial<CatalogSnapshot>): Promise<void> {
  const owned = new Map<string, string[]>([[live.database.owner, [`database ${live.database.name}`]]])
  for (const o of live.objects ?? []) owned.set(o.owner, [...(owned.get(o.owner) ?? []), objectKey(o)])
  for (const d of live.defaultAcls ?? []) owned.set(d.role, [...(owned.get(d.role) ?? []), 'default privileges'])
  const { rows: missing } = await c.query<{ role: string, superuser: boolean }>(
    `SELECT r.rolname AS role, r.rolsuper AS superuser FROM pg_roles r WHERE r.rolname = ANY($1) AND NOT pg_has_role(r.oid, 'USAGE') ORDER BY 1`,
    [[...owned.keys()]])
  const supers = missing.filter((m) => m.superuser).map((m) => m.role)
  if (supers.length) {
    const what = supers.flatMap((r) => owned.get(r)!)
    throw new RefusedError(`"${live.database.name}" has objects owned by the superuser ${supers.join(', ')} (${what.slice(0, 5).join(', ')}${what.length > 5 ? ', …' : ''}): `
      + 'a restore role may never act as a superuser, so it cannot recreate them. Give them a non-superuser owner first (ALTER … OWNER TO <the app\'s owner role>).',
    { code: 'superuser-owner' })
  }
  if (missing.length) {
    const sql = missing.map((m) => `GRANT ${pg.escapeIdentifier(m.role)} TO ${pg.escapeIdentifier(restoreRole)};`).join(' ')
    throw new RefusedError(`The restore role "${restoreRole}" cannot act as ${missing.map((m) => `"${m.role}"`).join(', ')}, which own "${live.database.name}" or objects in it: `
      + `it must, to rename the database and recreate their ownership. As an admin run: ${sql}`, { code: 'restore-role', data: { sql } })
  }
}

// pg_shdepend records every owner and grantee of the database's objects, whatever their kind.
async function ownedBy(c: pg.ClientBase): Promise<string[]> {
  const { rows } = await c.query<{ what: string }>(`
    SELECT DISTINCT o.type || ' ' || o.identity AS what
    FROM pg_shdepend s CROSS JOIN LATERAL pg_identify_object(s.classid, s.objid, s.objsubid) o
    WHERE s.dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
      AND s.refclassid = 'pg_authid'::regclass AND s.refobjid = (SELECT oid FROM pg_roles WHERE rolname = current_user)
      AND s.deptype IN ('o', 'a')
    ORDER BY 1`)
  return rows.map((r) => r.what)
}
