import type { AutoResult } from '../../../contract/checklists'
import { DEFAULT_BACKUP_MAX_AGE_HOURS } from '../templates'
import { formatAge, formatInstant, result, type CheckContext } from './context'

const HOUR_MS = 3_600_000

/** Passes when a restore-tested backup was taken less than `maxAgeHours` ago; the age counts from the dump, not the test. */
export async function checkFreshVerifiedBackup(ctx: CheckContext): Promise<AutoResult> {
  const maxAgeHours = ctx.params.maxAgeHours ?? DEFAULT_BACKUP_MAX_AGE_HOURS
  const backups = await ctx.listBackups(ctx.consoleDb, ctx.target)
  const verified = backups.filter((b) => b.status === 'verified')
  const newest = verified.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
  const counts = countByStatus(backups.map((b) => b.status))
  if (!newest) return result(ctx, false, `no verified backup (${counts || 'no backups'})`, 'Take a backup and run its restore test.')
  const ageMs = ctx.now.getTime() - new Date(newest.createdAt).getTime()
  const value = `${newest.id}: verified, ${formatAge(ageMs)} old`
  const pass = ageMs < maxAgeHours * HOUR_MS
  const detail = pass ? `restore-tested ${formatInstant(newest.verifiedAt ?? newest.createdAt)}` : `older than ${maxAgeHours} h: take a new backup and test it`
  return result(ctx, pass, value, detail)
}

function countByStatus(statuses: string[]): string {
  const counts = new Map<string, number>()
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1)
  return [...counts].map(([s, n]) => `${n} ${s}`).join(', ')
}
