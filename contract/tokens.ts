// API tokens for deploy scripts: created, listed, revoked.
import { z } from 'zod'

export const createTokenSchema = z.strictObject({
  name: z.string({ error: 'required' }).trim().min(1, { error: 'required' }).max(100, { error: 'at most 100 characters' }),
})
export type CreateTokenBody = z.infer<typeof createTokenSchema>

export interface ApiTokenRow {
  id: number
  name: string
  scope: 'read'
  createdBy: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

/** The only response that ever carries the token itself. */
export interface CreatedToken { id: number, name: string, token: string }

export const tokenParamsSchema = z.object({ id: z.coerce.number({ error: 'a token id (number)' }).int().positive({ error: 'a token id (number)' }) })
