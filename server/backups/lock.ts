import type pg from 'pg'
import { BusyError } from '../errors'

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

/** Takes the target's backup lock on this session or throws BackupBusyError; ending the session releases it. */
export async function lockBackups(session: pg.ClientBase, targetId: string): Promise<void> {
  const { rows } = await session.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [BACKUP_LOCK_NAMESPACE, BACKUP_LOCK_KEY])
  if (!rows[0].ok) throw new BackupBusyError(targetId)
}
