import type pg from 'pg'
import type { SessionUser } from '~contract/auth'
import { dummyHash, verifyPassword } from './passwords'
import { recordSuccess, reserveAttempt } from './throttle'
import { findCredentials } from './users'

export type LoginResult =
  | { ok: true, user: SessionUser }
  | { ok: false, reason: 'invalid' }
  | { ok: false, reason: 'throttled', retryAfterSeconds: number }

export async function attemptLogin(pool: pg.Pool, username: string, password: string, ip: string): Promise<LoginResult> {
  const reserved = await reserveAttempt(pool, username, ip)
  if (!reserved.ok) return { ok: false, reason: 'throttled', retryAfterSeconds: reserved.retryAfterSeconds }
  const found = await findCredentials(pool, username)
  const valid = await verifyPassword(password, found?.passwordHash ?? await dummyHash())
  if (!found || !valid) return { ok: false, reason: 'invalid' }
  await recordSuccess(pool, found.id, username, ip)
  await pool.query('UPDATE users SET last_login_at = now() WHERE id = $1', [found.id])
  return { ok: true, user: { id: found.id, username: found.username, role: found.role } }
}
