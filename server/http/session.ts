import { createError, getRequestProtocol, useSession, type H3Event } from 'h3'
import type { Role, SessionUser } from '~contract/auth'
import { createSession, endSession, SESSION_HOURS, sessionUser } from '../auth/sessions'
import { useConsole } from '../context'
import { forwardedHeaders } from './proxies'

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 }

async function cookieSession(event: H3Event) {
  const { sessionSecret, trustedProxies } = await useConsole()
  const https = getRequestProtocol(event, forwardedHeaders(event, trustedProxies)) === 'https'
  return useSession<{ sid?: string }>(event, {
    name: 'dbsafe_session',
    password: sessionSecret,
    maxAge: SESSION_HOURS * 60 * 60,
    cookie: { httpOnly: true, sameSite: 'strict', secure: https, path: '/' },
  })
}

/** The logged-in user: the cookie's session must still be in the database, and the user is re-read from it. */
export async function currentUser(event: H3Event): Promise<SessionUser | null> {
  const sid = (await cookieSession(event)).data.sid
  return sid ? sessionUser((await useConsole()).db, sid) : null
}

/** The id the request's cookie carries, if it has a session. */
export async function currentSessionId(event: H3Event): Promise<string | undefined> {
  return (await cookieSession(event)).data.sid
}

/** Replaces whatever session the request had with a new one for the user. */
export async function startSession(event: H3Event, userId: number): Promise<void> {
  const s = await cookieSession(event)
  await s.clear()
  await s.update({ sid: await createSession((await useConsole()).db, userId) })
}

/** Ends the request's session server-side, so a copy of the cookie stops working too. */
export async function logout(event: H3Event): Promise<void> {
  const s = await cookieSession(event)
  if (s.data.sid) await endSession((await useConsole()).db, s.data.sid)
  await s.clear()
}

export function requireRole(event: H3Event, role: Role): SessionUser {
  const user = event.context.user as SessionUser | undefined
  if (!user) throw createError({ statusCode: 401, message: 'Log in first' })
  if (RANK[user.role] < RANK[role]) throw createError({ statusCode: 403, message: `Requires the ${role} role` })
  return user
}
