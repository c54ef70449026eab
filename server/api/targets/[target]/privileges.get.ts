import { createError, defineEventHandler, getQuery } from 'h3'
import { z } from 'zod'
import { readEnvFile } from '~server/envfile/read'
import { appRoleOf } from '~server/envfile/connection'
import { requireRole } from '~server/http/session'
import { sharedAnswer } from '~server/targets/shared-read'
import { requireTarget } from '~server/http/target'
import { validate } from '~server/http/validate'
import { privilegeReview } from '~server/privileges/review'
import { targetPool } from '~server/database/target-pool'

const query = z.object({ role: z.string().min(1).max(63).optional() })

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const { role } = validate(query, getQuery(event), 'query')
  // Looking at any role but the app's is for operators and admins.
  if (role) requireRole(event, 'operator')
  const env = readEnvFile(target.envFile)
  const reviewed = role ?? appRoleOf(target, env)
  if (!reviewed) throw createError({ statusCode: 409, message: `No app role: set "appRole" for ${target.id} or DB_USER in ${target.envFile}` })
  // Shared by role reviewed, never by who asks: the role check above is the only difference between users.
  const { value: review, computedAt } = await sharedAnswer(event, target.id, 'privileges', [reviewed],
    () => privilegeReview(targetPool(target, env), reviewed))
  if (!review) throw createError({ statusCode: 404, message: `Role "${reviewed}" does not exist on ${target.label}` })
  return { ...review, computedAt }
})
