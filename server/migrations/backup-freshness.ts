import type pg from 'pg'
import { listBackups } from '../backups/inventory'
import type { TargetConfig } from '../config/schema'

/** The creation time of the target's newest backup that reads back whole (verified or unverified). */
export async function newestUsableBackupAt(consoleDb: pg.Pool, target: TargetConfig): Promise<Date | null> {
  const usable = (await listBackups(consoleDb, target)).filter((b) => b.status === 'verified' || b.status === 'unverified')
  return usable.length ? new Date(usable[0].createdAt) : null
}
