import type { AutoResult } from '~contract/checklists'
import { appRoleOf } from '~server/envfile/connection'
import { privilegeReview } from '~server/privileges/review'
import { targetPool } from '~server/database/target-pool'
import { result, type CheckContext } from './context'

/** Passes when the app role's privileges verdict is not `unsafe` (it cannot drop or wipe data). */
export async function checkAppRoleNotUnsafe(ctx: CheckContext): Promise<AutoResult> {
  const role = appRoleOf(ctx.target, ctx.env)
  if (!role) return result(ctx, false, 'no app role configured', `Set "appRole" for ${ctx.target.id} or DB_USER in ${ctx.target.envFile}.`)
  const review = await privilegeReview(targetPool(ctx.target, ctx.env), role)
  if (!review) return result(ctx, false, `role ${role} does not exist`)
  const top = review.findings[0]
  return result(ctx, review.verdict !== 'unsafe', `${role}: ${review.verdict} (${review.findings.length} findings)`, top?.message)
}
