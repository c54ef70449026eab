import { createError, getHeader, type H3Event } from 'h3'
import type { SessionUser } from '~contract/auth'
import { useConsole } from '../context'
import { verifyToken } from '../tokens/store'
import { currentUser } from './session'

// The only /api routes a token may call, both read-only: the gate and the safety report. The session middleware lets a request through here
// only when it carries a bearer token, and the route itself then verifies that token:
// without one, the route still needs a session like every other /api route.
const TOKEN_API_ROUTE = /^\/api\/targets\/[^/]+\/(gate|report)$/

export const acceptsToken = (method: string, path: string): boolean => method === 'GET' && TOKEN_API_ROUTE.test(path)

export function bearerToken(event: H3Event): string | null {
  const header = getHeader(event, 'authorization')
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i)
  return match ? match[1] : null
}

export type Caller = { kind: 'user', user: SessionUser } | { kind: 'token', id: number, name: string }

/**
 * For the read-only routes scripts call (the gate, /metrics): a valid API token or a session.
 * A request that sends a token is judged by the token alone, so a bad token is refused even beside a cookie.
 */
export async function requireSessionOrToken(event: H3Event): Promise<Caller> {
  const token = bearerToken(event)
  if (token !== null) {
    const found = await verifyToken((await useConsole()).db, token)
    if (!found) throw createError({ statusCode: 401, message: 'Invalid or revoked API token' })
    return { kind: 'token', ...found }
  }
  const user = (event.context.user as SessionUser | undefined) ?? await currentUser(event)
  if (!user) throw createError({ statusCode: 401, message: 'Log in first' })
  event.context.user = user
  return { kind: 'user', user }
}
