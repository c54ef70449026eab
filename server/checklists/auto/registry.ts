import type { AutoCheck, AutoResult } from '~contract/checklists'
import { checkAppRoleNotUnsafe } from './app-role-not-unsafe'
import { checkConnectionsHeadroom } from './connections-headroom'
import { errorText } from '~server/database/error-text'
import { result, type AutoEvaluator, type CheckContext } from './context'
import { checkFreshVerifiedBackup } from './fresh-verified-backup'
import { checkNoDrift } from './no-drift'
import { checkNoFailedJobs } from './no-failed-jobs'
import { checkNoPending } from './no-pending'
import { checkReachable } from './reachable'
import { checkSkipMigrations } from './skip-migrations'

export const AUTO_EVALUATORS: Record<AutoCheck, AutoEvaluator> = {
  'reachable': checkReachable,
  'skip-migrations': checkSkipMigrations,
  'fresh-verified-backup': checkFreshVerifiedBackup,
  'no-drift': checkNoDrift,
  'no-pending': checkNoPending,
  'app-role-not-unsafe': checkAppRoleNotUnsafe,
  'connections-headroom': checkConnectionsHeadroom,
  'no-failed-jobs': checkNoFailedJobs,
}

/** A check that cannot look (target down, file unreadable) fails with the reason as its evidence; it never throws. */
export async function runCheck(check: AutoCheck, ctx: CheckContext): Promise<AutoResult> {
  try {
    return await AUTO_EVALUATORS[check](ctx)
  } catch (err) {
    return result(ctx, false, 'could not check', errorText(err))
  }
}
