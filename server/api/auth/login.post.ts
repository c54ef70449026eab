import { createError, defineEventHandler, getRequestIP } from 'h3'
import { loginBodySchema } from '~contract/auth'
import { attemptLogin } from '~server/auth/login'
import { useConsole } from '~server/context'
import { auditLogin } from '~server/http/guard'
import { session } from '~server/http/session'
import { validBody } from '~server/http/validate'

export default defineEventHandler(async (event) => {
  const { username, password } = await validBody(event, loginBodySchema)
  const result = await attemptLogin((await useConsole()).db, username, password, getRequestIP(event, { xForwardedFor: true }) ?? 'unknown')
  await auditLogin(username, result.ok ? 'ok' : result.reason)
  if (!result.ok && result.reason === 'throttled') throw createError({ statusCode: 429, message: 'Too many failed logins; try again in 15 minutes' })
  if (!result.ok) throw createError({ statusCode: 401, message: 'Wrong username or password' })
  const s = await session(event)
  await s.clear()
  await s.update({ userId: result.user.id })
  return result.user
})
