import { createHash, randomBytes } from 'node:crypto'
import type pg from 'pg'
import type { SessionUser } from '~contract/auth'

// A session is a row: the sealed cookie carries a random id, the table only its hash (a copy of the table
// opens no session), and deleting the row ends the session wherever the cookie was copied to.
export const SESSION_HOURS = 8

export const sessionHash = (id: string) => createHash('sha256').update(id).digest('base64url')

/** A new session for the user; returns the id the cookie carries. Expired rows are swept on the way. */
export async function createSession(pool: pg.Pool, userId: number): Promise<string> {
  const id = randomBytes(32).toString('base64url')
  await pool.query(
    `WITH swept AS (DELETE FROM sessions WHERE expires_at < now())
     INSERT INTO sessions (id_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(hours => $3))`,
    [sessionHash(id), userId, SESSION_HOURS])
  return id
}

/** The user of a live session, as the users table says now (so a changed role counts at once). */
export async function sessionUser(pool: pg.Pool, id: string): Promise<SessionUser | null> {
  const { rows } = await pool.query(
    `SELECT u.id::int, u.username, u.role FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.id_hash = $1 AND s.expires_at > now()`, [sessionHash(id)])
  return rows[0] ?? null
}

export async function endSession(pool: pg.Pool, id: string): Promise<void> {
  await pool.query('DELETE FROM sessions WHERE id_hash = $1', [sessionHash(id)])
}
