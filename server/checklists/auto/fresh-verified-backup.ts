import type { AutoResult } from '~contract/checklists'
import { backupAgeMs, backupMaxAgeHours, isFresh, newestVerifiedBackup } from '~server/backups/newest'
import { formatAge, formatInstant, result, type CheckContext } from './context'

/** Passes when a restore-tested backup was taken less than `maxAgeHours` ago; the age counts from the dump, not the test. */
export async function checkFreshVerifiedBackup(ctx: CheckContext): Promise<AutoResult> {
  const maxAgeHours = ctx.params.maxAgeHours ?? backupMaxAgeHours(ctx.target.checklists)
  const backups = await ctx.listBackups(ctx.consoleDb, ctx.target)
  const newest = newestVerifiedBackup(backups)
  const counts = countByStatus(backups.map((b) => b.status))
  if (!newest) return result(ctx, false, `no verified backup (${counts || 'no backups'})`, 'Take a backup and run its restore test.')
  const value = `${newest.id}: verified, ${formatAge(backupAgeMs(newest, ctx.now))} old`
  const pass = isFresh(newest, maxAgeHours, ctx.now)
  const detail = pass ? `restore-tested ${formatInstant(newest.verifiedAt ?? newest.createdAt)}` : `older than ${maxAgeHours} h: take a new backup and test it`
  return result(ctx, pass, value, detail)
}

function countByStatus(statuses: string[]): string {
  const counts = new Map<string, number>()
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1)
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ')
}
