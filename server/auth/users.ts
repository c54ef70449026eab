import type pg from 'pg'
import type { Role, SessionUser, UserRow } from '~contract/auth'
import { RefusedError } from '../errors'
import { hashPassword } from './passwords'
import { sessionHash } from './sessions'

export class UserExistsError extends RefusedError {}

export async function createUser(pool: pg.Pool, username: string, password: string, role: Role): Promise<UserRow> {
  const hash = await hashPassword(password)
  const { rows } = await pool.query(
    `INSERT INTO users (username, password_hash, role) VALUES ($1, $2, $3)
     ON CONFLICT (username) DO NOTHING RETURNING ${USER_COLUMNS}`, [username, hash, role])
  if (rows.length === 0) throw new UserExistsError(`User "${username}" already exists`)
  return rows[0]
}

export async function listUsers(pool: pg.Pool): Promise<UserRow[]> {
  const { rows } = await pool.query(`SELECT ${USER_COLUMNS} FROM users ORDER BY username`)
  return rows
}

export async function findUser(pool: pg.Pool, id: number): Promise<SessionUser | null> {
  const { rows } = await pool.query('SELECT id::int, username, role FROM users WHERE id = $1', [id])
  return rows[0] ?? null
}

export async function findCredentials(pool: pg.Pool, username: string): Promise<(SessionUser & { passwordHash: string }) | null> {
  const { rows } = await pool.query(
    'SELECT id::int, username, role, password_hash AS "passwordHash" FROM users WHERE username = $1', [username])
  return rows[0] ?? null
}

/**
 * Sets a new password and/or role and ends the user's sessions in the same statement, so no old cookie outlives
 * the change; `keepSession` (the cookie id of the request making the change) stays, so changing your own account
 * does not log you out where you made it.
 */
export async function updateUser(pool: pg.Pool, id: number, change: { password?: string, role?: Role }, keepSession?: string): Promise<UserRow | null> {
  const hash = change.password === undefined ? null : await hashPassword(change.password)
  const { rows } = await pool.query(
    `WITH changed AS (
       UPDATE users SET password_hash = coalesce($2, password_hash), role = coalesce($3, role) WHERE id = $1 RETURNING *),
     ended AS (DELETE FROM sessions WHERE user_id IN (SELECT id FROM changed) AND id_hash IS DISTINCT FROM $4)
     SELECT ${USER_COLUMNS} FROM changed`, [id, hash, change.role ?? null, keepSession ? sessionHash(keepSession) : null])
  return rows[0] ?? null
}

export async function deleteUser(pool: pg.Pool, id: number): Promise<boolean> {
  const { rowCount } = await pool.query('DELETE FROM users WHERE id = $1', [id])
  return rowCount === 1
}

export async function countAdmins(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM users WHERE role = 'admin'")
  return rows[0].n
}

/** First start: with no user at all and DBSAFE_ADMIN_PASSWORD set, create `admin`. Safe under concurrent starts. */
export async function bootstrapAdmin(pool: pg.Pool, password: string | undefined): Promise<boolean> {
  if (!password) return false
  const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM users')
  if (rows[0].n > 0) return false
  try {
    await createUser(pool, 'admin', password, 'admin')
    return true
  } catch (err) {
    if (err instanceof UserExistsError) return false
    throw err
  }
}

const USER_COLUMNS = `id::int, username, role, created_at AS "createdAt", last_login_at AS "lastLoginAt"`
