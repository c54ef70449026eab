import type pg from 'pg'
import type { SessionUser } from '~contract/auth'
import { InvalidError } from '../errors'
import { verifyPassword } from './passwords'
import { recordSuccess, reserveAttempt } from './throttle'
import { findCredentials, updateUser } from './users'

export type OwnPasswordResult = { ok: true } | { ok: false, retryAfterSeconds: number }

/**
 * A user's change of their own password. The current password is checked behind the login back-off (same keys,
 * same counts), so a stolen session cannot be used to guess it faster than the login form allows. On success
 * every other session of the user ends; `keepSession` (the one making the change) stays.
 */
export async function changeOwnPassword(pool: pg.Pool, user: SessionUser, current: string, next: string, ip: string,
  keepSession: string | undefined): Promise<OwnPasswordResult> {
  const reserved = await reserveAttempt(pool, user.username, ip)
  if (!reserved.ok) return reserved
  const found = await findCredentials(pool, user.username)
  if (!found || !await verifyPassword(current, found.passwordHash)) {
    throw new InvalidError('Invalid body: currentPassword: not your current password',
      [{ field: 'currentPassword', message: 'not your current password' }])
  }
  await recordSuccess(pool, found.id, user.username, ip)
  await updateUser(pool, found.id, { password: next }, keepSession)
  return { ok: true }
}
