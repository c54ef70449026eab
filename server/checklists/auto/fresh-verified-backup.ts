import type { AutoResult } from '~contract/checklists'
import { backupAgeMs, backupMaxAgeHours, isFresh, newestVerifiedBackup, scheduledBackupHealth } from '~server/backups/newest'
import { formatAge, formatInstant, result, type CheckContext } from './context'

/**
 * Passes when a restore-tested backup was taken less than `maxAgeHours` ago; the age counts from the dump, not the test.
 * An unhealthy scheduled backup is a warning in the detail, whatever the manual backups say: it does not block.
 */
export async function checkFreshVerifiedBackup(ctx: CheckContext): Promise<AutoResult> {
  const maxAgeHours = ctx.params.maxAgeHours ?? backupMaxAgeHours(ctx.target.checklists)
  const backups = await ctx.listBackups(ctx.consoleDb, ctx.target)
  const newest = newestVerifiedBackup(backups)
  const counts = countByStatus(backups.map((b) => b.status))
  const { warning } = scheduledBackupHealth(backups, ctx.target.scheduledBackupIntervalHours, ctx.now)
  const withWarning = (detail: string) => (warning ? `${detail.replace(/\.$/, '')}. Warning: ${warning}` : detail)
  if (!newest) return result(ctx, false, `no verified backup (${counts || 'no backups'})`, withWarning('Take a backup and run its restore test.'))
  const value = `${newest.id}: verified, ${formatAge(backupAgeMs(newest, ctx.now))} old`
  const pass = isFresh(newest, maxAgeHours, ctx.now)
  const detail = pass ? `restore-tested ${formatInstant(newest.verifiedAt ?? newest.createdAt)}` : `older than ${maxAgeHours} h: take a new backup and test it`
  return result(ctx, pass, value, withWarning(detail))
}

function countByStatus(statuses: string[]): string {
  const counts = new Map<string, number>()
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1)
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ')
}
