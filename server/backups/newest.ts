import { isUsable, isVerified, type BackupEntry, type BackupFreshness, type BackupRef, type ScheduledBackupHealth } from '~contract/backups'

export const DEFAULT_BACKUP_MAX_AGE_HOURS = 24
const HOUR_MS = 3_600_000

type Dated = Pick<BackupEntry, 'id' | 'status' | 'createdAt'>

/** The order backups are listed and picked in: newest first by creation time (ISO, so as text), on a tie by id. */
export const byNewest = (a: Dated, b: Dated): number => b.createdAt.localeCompare(a.createdAt) || a.id.localeCompare(b.id)

/** The newest backup `pick` accepts, whatever the order given; by default every backup but a partial one. */
export function newestBackup<B extends Dated>(backups: readonly B[], pick: (b: B) => boolean = (b) => b.status !== 'partial'): B | null {
  let newest: B | null = null
  for (const b of backups) {
    if (pick(b) && (!newest || byNewest(b, newest) < 0)) newest = b
  }
  return newest
}

export const newestUsableBackup = <B extends Dated>(backups: readonly B[]): B | null => newestBackup(backups, isUsable)
export const newestVerifiedBackup = <B extends Dated>(backups: readonly B[]): B | null => newestBackup(backups, isVerified)

/** Age counts from the dump, not from its restore test. */
export const backupAgeMs = (b: Pick<BackupEntry, 'createdAt'>, now: Date): number => now.getTime() - Date.parse(b.createdAt)

export const isFresh = (b: Pick<BackupEntry, 'createdAt'>, maxAgeHours: number, now: Date): boolean => backupAgeMs(b, now) < maxAgeHours * HOUR_MS

/** The configured `checklists.backupMaxAgeHours` of a target, or the default. */
export const backupMaxAgeHours = (checklists: { backupMaxAgeHours?: number } | undefined): number =>
  checklists?.backupMaxAgeHours ?? DEFAULT_BACKUP_MAX_AGE_HOURS

export function backupFreshness(backups: readonly BackupEntry[], maxAgeHours: number, now: Date): BackupFreshness {
  const usable = newestUsableBackup(backups)
  const verified = newestVerifiedBackup(backups)
  return {
    count: backups.length,
    maxAgeHours,
    newest: ref(newestBackup(backups)),
    newestUsable: ref(usable),
    newestVerified: ref(verified),
    usableFresh: usable !== null && isFresh(usable, maxAgeHours, now),
    verifiedFresh: verified !== null && isFresh(verified, maxAgeHours, now),
  }
}

/**
 * Healthy while the app's scheduled job wrote a file that reads back less than `intervalHours` ago: a corrupt newest
 * file, or none, turns into a warning once the last good one is older than one interval. Manual and dbsafe
 * backups are not looked at, so a fresh one of those cannot hide a broken nightly job.
 */
export function scheduledBackupHealth(backups: readonly BackupEntry[], intervalHours: number, now: Date): ScheduledBackupHealth {
  const scheduled = backups.filter((b) => b.scheduled)
  const newest = newestBackup(scheduled)
  const usable = newestUsableBackup(scheduled)
  const healthy = usable !== null && isFresh(usable, intervalHours, now)
  return { intervalHours, newest: ref(newest), newestUsable: ref(usable), healthy, warning: healthy ? null : scheduledWarning(newest, usable, intervalHours) }
}

function scheduledWarning(newest: BackupEntry | null, usable: BackupEntry | null, intervalHours: number): string {
  if (!newest) return 'No backup written by a scheduled job (cron, nightly) is in the backups dir: only manual ones.'
  const lastGood = usable ? `the last one that reads back is from ${usable.createdAt.slice(0, 16).replace('T', ' ')} UTC` : 'none of its files reads back'
  if (newest.status === 'corrupt') return `The scheduled job's newest file, ${newest.id}, is corrupt (${newest.problem ?? 'does not read back'}); ${lastGood}.`
  return `The scheduled job wrote nothing in the last ${intervalHours} h; ${lastGood}.`
}

function ref(b: BackupEntry | null): BackupRef | null {
  if (!b) return null
  return {
    id: b.id, status: b.status, createdAt: b.createdAt,
    ...(b.verifiedAt ? { verifiedAt: b.verifiedAt } : {}), ...(b.problem ? { problem: b.problem } : {}), ...(b.label ? { label: b.label } : {}),
  }
}
