import { createError, defineEventHandler } from 'h3'
import { currentUser } from '../http/session'

// Every /api route needs a session except these; the route-walk test keeps this list honest.
export const PUBLIC_ROUTES = new Set(['GET /api/health', 'POST /api/auth/login'])

export default defineEventHandler(async (event) => {
  const path = event.path.split('?')[0]
  if (!path.startsWith('/api/') || PUBLIC_ROUTES.has(`${event.method} ${path}`)) return
  const user = await currentUser(event)
  if (!user) throw createError({ statusCode: 401, message: 'Log in first' })
  event.context.user = user
})
