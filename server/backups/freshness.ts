import type pg from 'pg'
import type { BackupsSummary } from '~contract/targets'
import type { BackupsVerdict } from '~contract/backups'
import type { TargetConfig } from '../config/schema'
import { errorText } from '../database/error-text'
import { listBackups } from './inventory'
import { backupFreshness, backupMaxAgeHours, scheduledBackupHealth } from './newest'

// Backups are files on this host: they are known even while the database is down.
export async function loadBackupFreshness(consoleDb: pg.Pool, target: TargetConfig, now = new Date()): Promise<BackupsVerdict | { error: string }> {
  try {
    const backups = await listBackups(consoleDb, target, { now })
    return { ...backupFreshness(backups, backupMaxAgeHours(target.checklists), now), scheduled: scheduledBackupHealth(backups, target.scheduledBackupIntervalHours, now) }
  } catch (err) {
    return { error: errorText(err) }
  }
}

/** The overview's short form of the same facts. */
export function backupsSummary(f: BackupsVerdict | { error: string }): BackupsSummary {
  if ('error' in f) return f
  const newest = f.newest && { id: f.newest.id, status: f.newest.status, createdAt: f.newest.createdAt }
  return { count: f.count, newest, newestVerifiedAt: f.newestVerified?.createdAt ?? null, scheduledWarning: f.scheduled.warning }
}
