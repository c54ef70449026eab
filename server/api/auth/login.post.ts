import { createError, defineEventHandler, setResponseHeader } from 'h3'
import { loginBodySchema } from '~contract/auth'
import { attemptLogin } from '~server/auth/login'
import { useConsole } from '~server/context'
import { auditLogin } from '~server/http/guard'
import { clientAddress } from '~server/http/proxies'
import { startSession } from '~server/http/session'
import { validBody } from '~server/http/validate'

export default defineEventHandler(async (event) => {
  const { username, password } = await validBody(event, loginBodySchema)
  const { db, trustedProxies } = await useConsole()
  const result = await attemptLogin(db, username, password, clientAddress(event, trustedProxies))
  await auditLogin(username, result.ok ? 'ok' : result.reason)
  if (!result.ok && result.reason === 'throttled') {
    setResponseHeader(event, 'retry-after', result.retryAfterSeconds)
    throw createError({ statusCode: 429, message: `Too many failed logins; try again in ${waitText(result.retryAfterSeconds)}` })
  }
  if (!result.ok) throw createError({ statusCode: 401, message: 'Wrong username or password' })
  await startSession(event, result.user.id)
  return result.user
})

function waitText(seconds: number): string {
  return seconds < 60 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`
}
