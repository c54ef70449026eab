import { createHash, randomBytes } from 'node:crypto'
import type pg from 'pg'
import type { ApiTokenRow, CreatedToken } from '~contract/tokens'

export const TOKEN_PREFIX = 'dbsafe_'
const TOKEN_SHAPE = /^dbsafe_[A-Za-z0-9_-]{43}$/
const COLUMNS = `id, name, scope, created_by AS "createdBy", created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"`

// Only the hash is stored: a leaked console database does not leak usable tokens. The token has
// 256 random bits, so a fast hash is enough (no salt or slow KDF needed, unlike passwords).
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')

/** A new read-only token; the returned `token` is the only time it exists in clear. */
export async function createToken(db: pg.Pool, name: string, createdBy: string): Promise<CreatedToken> {
  const token = TOKEN_PREFIX + randomBytes(32).toString('base64url')
  const { rows } = await db.query<{ id: number }>('INSERT INTO api_tokens (name, token_hash, created_by) VALUES ($1, $2, $3) RETURNING id',
    [name, hashToken(token), createdBy])
  return { id: rows[0].id, name, token }
}

export async function listTokens(db: pg.Pool): Promise<ApiTokenRow[]> {
  const { rows } = await db.query(`SELECT ${COLUMNS} FROM api_tokens ORDER BY revoked_at IS NOT NULL, created_at DESC, id DESC`)
  return rows.map((r) => ({ ...r, createdAt: iso(r.createdAt)!, lastUsedAt: iso(r.lastUsedAt), revokedAt: iso(r.revokedAt) }))
}

/** Revokes a token; false when no live token has that id. */
export async function revokeToken(db: pg.Pool, id: number): Promise<{ name: string } | null> {
  const { rows } = await db.query<{ name: string }>('UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING name', [id])
  return rows[0] ?? null
}

/** The live token with this secret, recording its use; null for anything else (malformed, unknown, revoked). */
export async function verifyToken(db: pg.Pool, token: string): Promise<{ id: number, name: string } | null> {
  if (!TOKEN_SHAPE.test(token)) return null
  const { rows } = await db.query<{ id: number, name: string }>(
    'UPDATE api_tokens SET last_used_at = now() WHERE token_hash = $1 AND revoked_at IS NULL RETURNING id, name', [hashToken(token)])
  return rows[0] ?? null
}

const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null)
