import type pg from 'pg'
import type { PrivilegeReview } from '~contract/privileges'
import { analyzePrivileges, UnknownRoleError } from './analyze'
import { directGrantRows, seedCheckGaps } from './seed-check'

/** The report plus what the seed document's own check would have missed; null for an unknown role. */
export async function privilegeReview(pool: pg.Pool, role: string): Promise<PrivilegeReview | null> {
  try {
    const report = await analyzePrivileges(pool, role)
    return { ...report, seedCheck: seedCheckGaps(report, directGrantRows(report)) }
  } catch (err) {
    if (err instanceof UnknownRoleError) return null
    throw err
  }
}
