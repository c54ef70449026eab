import type pg from 'pg'
import type { SessionUser } from '~contract/auth'
import { dummyHash, verifyPassword } from './passwords'
import { findCredentials } from './users'

// Failures are rows, not memory, so the limit holds across restarts and console instances.
// Per account it stops password guessing; per address, a higher bar stops spraying many accounts
// without letting one noisy client lock everyone else out.
const WINDOW = '15 minutes'
const MAX_PER_USER = 5
const MAX_PER_IP = 30

export type LoginResult = { ok: true, user: SessionUser } | { ok: false, reason: 'invalid' | 'throttled' }

export async function attemptLogin(pool: pg.Pool, username: string, password: string, ip: string): Promise<LoginResult> {
  const { rows } = await pool.query<{ by_user: number, by_ip: number }>(
    `SELECT count(*) FILTER (WHERE username = $1)::int AS by_user, count(*) FILTER (WHERE ip = $2)::int AS by_ip
     FROM login_failures WHERE at > now() - $3::interval`, [username, ip, WINDOW])
  if (rows[0].by_user >= MAX_PER_USER || rows[0].by_ip >= MAX_PER_IP) return { ok: false, reason: 'throttled' }
  const found = await findCredentials(pool, username)
  const valid = await verifyPassword(password, found?.passwordHash ?? await dummyHash())
  if (!found || !valid) {
    await pool.query('INSERT INTO login_failures (username, ip) VALUES ($1, $2)', [username, ip])
    return { ok: false, reason: 'invalid' }
  }
  await pool.query('DELETE FROM login_failures WHERE username = $1', [username])
  await pool.query('UPDATE users SET last_login_at = now() WHERE id = $1', [found.id])
  return { ok: true, user: { id: found.id, username: found.username, role: found.role } }
}
