import type pg from 'pg'
import type { TargetConfig } from '../config/schema'
import { openSession } from '../database/session'
import { BusyError } from '../errors'
import { holdAdvisoryLock, type HeldLock } from '../jobs/lifecycle'
import { backupConnection } from './connection'

// Advisory locks live in the target database, so every console instance that can reach the target
// sees them; the (namespace, key) pair keeps clear of the job locks the console takes in its own database.
export const BACKUP_LOCK_NAMESPACE = 730_516
const BACKUP_LOCK_KEY = 1

export class BackupBusyError extends BusyError {
  constructor(readonly target: string) {
    super(`A backup of "${target}" is already running (from this or another console instance); try again when it has finished`)
    this.name = 'BackupBusyError'
  }
}

/**
 * A session on the target holding its backup lock, or BackupBusyError; the dump's snapshot is taken on this
 * same session, so the lock lasts exactly as long as the backup. Releasing ends the session.
 */
export async function lockBackupSession(target: TargetConfig, databaseUrl?: string): Promise<HeldLock<pg.Client>> {
  const session = await openSession(backupConnection(target, databaseUrl), 'dbsafe-backup')
  return holdAdvisoryLock(session, [BACKUP_LOCK_NAMESPACE, BACKUP_LOCK_KEY], () => new BackupBusyError(target.id), () => session.end().catch(() => {}))
}
