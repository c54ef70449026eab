import { createError, defineEventHandler } from 'h3'
import { PUBLIC_ROUTES } from '../http/public-routes'
import { acceptsToken, bearerToken } from '../http/token-auth'
import { currentUser } from '../http/session'

export default defineEventHandler(async (event) => {
  const path = event.path.split('?')[0]
  if (!path.startsWith('/api/') || PUBLIC_ROUTES.has(`${event.method} ${path}`)) return
  // The gate verifies a bearer token itself (http/token-auth.ts); without one it needs a session like every route.
  if (acceptsToken(event.method, path) && bearerToken(event) !== null) return
  const user = await currentUser(event)
  if (!user) throw createError({ statusCode: 401, message: 'Log in first' })
  event.context.user = user
})
