import { isUsable, isVerified, type BackupEntry, type BackupFreshness, type BackupRef } from '~contract/backups'

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

function ref(b: BackupEntry | null): BackupRef | null {
  if (!b) return null
  return {
    id: b.id, status: b.status, createdAt: b.createdAt,
    ...(b.verifiedAt ? { verifiedAt: b.verifiedAt } : {}), ...(b.problem ? { problem: b.problem } : {}), ...(b.label ? { label: b.label } : {}),
  }
}
