import { createError, getQuery, type H3Event } from 'h3'
import { z } from 'zod'
import type { PrivilegeReview } from '~contract/privileges'
import { appRoleOf } from '../envfile/connection'
import { readEnvFile } from '../envfile/read'
import { sharedPrivilegeReview } from '../privileges/shared-review'
import { requireRole } from './session'
import { requireTarget } from './target'
import { validate } from './validate'

const roleQuery = z.object({ role: z.string().min(1).max(63).optional() })

/**
 * The review every privileges route reads (summary, matrix pages, one object's chain, the export): one
 * analysis per target and reviewed role, shared by every viewer while it is fresh.
 */
export async function requestedReview(event: H3Event): Promise<{ review: PrivilegeReview, computedAt: string }> {
  const target = await requireTarget(event)
  const { role } = validate(roleQuery, { role: getQuery(event).role }, 'query')
  // Looking at any role but the app's is for operators and admins.
  if (role) requireRole(event, 'operator')
  const env = readEnvFile(target.envFile)
  const reviewed = role ?? appRoleOf(target, env)
  if (!reviewed) throw createError({ statusCode: 409, message: `No app role: set "appRole" for ${target.id} or DB_USER in ${target.envFile}` })
  const { value: review, computedAt } = await sharedPrivilegeReview(target, env, reviewed, event)
  if (!review) throw createError({ statusCode: 404, message: `Role "${reviewed}" does not exist on ${target.label}` })
  return { review, computedAt }
}
