import type pg from 'pg'
import { listBackups } from '../backups/inventory'
import { newestUsableBackup } from '../backups/newest'
import type { TargetConfig } from '../config/schema'

/** The creation time of the target's newest backup that reads back whole (verified or unverified). */
export async function newestUsableBackupAt(consoleDb: pg.Pool, target: TargetConfig): Promise<Date | null> {
  const newest = newestUsableBackup(await listBackups(consoleDb, target))
  return newest ? new Date(newest.createdAt) : null
}
