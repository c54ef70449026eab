import type pg from 'pg'
import type { BackupsSummary } from '~contract/targets'
import type { BackupFreshness } from '~contract/backups'
import type { TargetConfig } from '../config/schema'
import { errorText } from '../database/error-text'
import { listBackups } from './inventory'
import { backupFreshness, backupMaxAgeHours } from './newest'

// Backups are files on this host: they are known even while the database is down.
export async function loadBackupFreshness(consoleDb: pg.Pool, target: TargetConfig, now = new Date()): Promise<BackupFreshness | { error: string }> {
  try {
    return backupFreshness(await listBackups(consoleDb, target, { now }), backupMaxAgeHours(target.checklists), now)
  } catch (err) {
    return { error: errorText(err) }
  }
}

/** The overview's short form of the same facts. */
export function backupsSummary(f: BackupFreshness | { error: string }): BackupsSummary {
  if ('error' in f) return f
  const newest = f.newest && { id: f.newest.id, status: f.newest.status, createdAt: f.newest.createdAt }
  return { count: f.count, newest, newestVerifiedAt: f.newestVerified?.createdAt ?? null }
}
