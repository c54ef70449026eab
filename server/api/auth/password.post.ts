import { createError, defineEventHandler, setResponseHeader } from 'h3'
import { ownPasswordBodySchema } from '~contract/auth'
import { changeOwnPassword } from '~server/auth/own-password'
import { useConsole } from '~server/context'
import { guarded } from '~server/http/guard'
import { clientAddress } from '~server/http/proxies'
import { currentSessionId } from '~server/http/session'

export default defineEventHandler(async (event) => guarded(event, {
  action: 'auth.password', role: 'viewer', body: ownPasswordBodySchema,
  handle: async ({ user, body }) => {
    const { db, trustedProxies } = await useConsole()
    const result = await changeOwnPassword(db, user, body.currentPassword, body.newPassword,
      clientAddress(event, trustedProxies), await currentSessionId(event))
    if (!result.ok) {
      setResponseHeader(event, 'retry-after', result.retryAfterSeconds)
      throw createError({ statusCode: 429, message: `Too many wrong passwords; try again in ${Math.ceil(result.retryAfterSeconds / 60)} minutes` })
    }
    return { ok: true as const }
  },
}))
