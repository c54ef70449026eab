import type pg from 'pg'
import type { BackupEntry } from '~contract/backups'
import type { RestoreLeftover, RestoreLeftoversView } from '~contract/restore'
import { listBackups } from '../backups/inventory'
import type { TargetConfig } from '../config/schema'
import { NotFoundError, RefusedError } from '../errors'
import { listRestoreLeftovers } from './leftovers'
import { restoreNames } from './names'
import { assertMayRestoreOver } from './preflight'
import { RestoreBusyError, withRestoreSession } from './session'

// What can be known before an emergency restore, undo or drop starts, without changing anything: a request
// that would fail on these is refused at once (409 with the reason and SQL) instead of becoming a failed job.

/** restoreDatabaseUrl set and on the app's server, a safe role that may create databases and act as every owner, nothing running. */
export async function checkRestoreReady(target: TargetConfig): Promise<{ database: string, role: string }> {
  return withRestoreSession(target, {}, 'probe', async (s) => {
    if (s.busy) throw new RestoreBusyError(s.database)
    await assertMayRestoreOver(s, target)
    return { database: s.database, role: s.role }
  })
}

/** The backup is listed and usable: neither partial nor found corrupt when it was read back. */
export async function checkBackupUsable(consoleDb: pg.Pool, target: TargetConfig, id: string): Promise<BackupEntry> {
  const entry = (await listBackups(consoleDb, target)).find((b) => b.id === id)
  if (!entry) throw new NotFoundError(`No backup "${id}" in ${target.label}`)
  if (entry.status === 'corrupt' || entry.status === 'partial') {
    throw new RefusedError(`Refusing to restore ${id}: it is ${entry.status}${entry.problem ? ` (${entry.problem})` : ''}`, { code: 'unusable-backup' })
  }
  return entry
}

/** The restore made at `stamp` left its live database aside, and was not undone yet. */
export async function checkUndoReady(target: TargetConfig, stamp: string): Promise<RestoreLeftover> {
  const list = await idleLeftovers(target)
  const names = restoreNames(list.database, stamp)
  const aside = list.leftovers.find((l) => l.name === names.beforeRestore)
  if (!aside) throw new NotFoundError(`There is no "${names.beforeRestore}" to bring back`)
  if (list.leftovers.some((l) => l.name === names.restored)) throw new RefusedError(`"${names.restored}" already exists: this restore was undone before`)
  return aside
}

/** `name` is one of this target's leftovers and nobody is connected to it. */
export async function checkDropReady(target: TargetConfig, name: string): Promise<RestoreLeftover> {
  const leftover = (await idleLeftovers(target)).leftovers.find((l) => l.name === name)
  if (!leftover) throw new NotFoundError(`"${name}" is not a leftover of an emergency restore of "${target.id}"`)
  if (leftover.sessions) throw new RefusedError(`"${name}" is in use (${leftover.sessions} sessions); close them first`)
  return leftover
}

/** The leftovers card: the list, or why this target has no emergency restore (with the SQL that fixes it). */
export async function restoreLeftoversView(target: TargetConfig): Promise<RestoreLeftoversView> {
  try {
    return { available: true, ...await listRestoreLeftovers(target) }
  } catch (err) {
    if (!(err instanceof RefusedError)) throw err
    const sql = typeof err.data?.sql === 'string' ? err.data.sql : undefined
    return { available: false, reason: err.message, ...(err.code ? { code: err.code } : {}), ...(sql ? { sql } : {}) }
  }
}

async function idleLeftovers(target: TargetConfig) {
  const list = await listRestoreLeftovers(target)
  if (list.busy) throw new RestoreBusyError(list.database)
  return list
}
