import { createError, getRequestProtocol, useSession, type H3Event } from 'h3'
import type { Role, SessionUser } from '~contract/auth'
import { findUser } from '../auth/users'
import { useConsole } from '../context'

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 }

export async function session(event: H3Event) {
  const { sessionSecret } = await useConsole()
  return useSession<{ userId?: number }>(event, {
    name: 'dbsafe_session',
    password: sessionSecret,
    maxAge: 8 * 60 * 60,
    cookie: { httpOnly: true, sameSite: 'strict', secure: getRequestProtocol(event, { xForwardedProto: true }) === 'https', path: '/' },
  })
}

/** The logged-in user, re-read from the database so a deleted user or a changed role counts at once. */
export async function currentUser(event: H3Event): Promise<SessionUser | null> {
  const userId = (await session(event)).data.userId
  return userId ? findUser((await useConsole()).db, userId) : null
}

export function requireRole(event: H3Event, role: Role): SessionUser {
  const user = event.context.user as SessionUser | undefined
  if (!user) throw createError({ statusCode: 401, message: 'Log in first' })
  if (RANK[user.role] < RANK[role]) throw createError({ statusCode: 403, message: `Requires the ${role} role` })
  return user
}
