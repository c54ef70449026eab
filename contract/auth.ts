// Users, roles and sessions, shared by the SPA and the API.
import { z } from 'zod'

export const ROLES = ['viewer', 'operator', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const usernameSchema = z.string().trim().regex(/^[a-zA-Z0-9_.-]{1,64}$/, { error: '1–64 letters, digits, ".", "_" or "-"' })
export const loginBodySchema = z.strictObject({
  username: z.string().min(1, { error: 'required' }).max(64),
  password: z.string().min(1, { error: 'required' }).max(1024),
})
export const createUserBodySchema = z.strictObject({
  username: usernameSchema,
  password: z.string().min(12, { error: 'at least 12 characters' }).max(1024),
  role: z.enum(ROLES, { error: `one of ${ROLES.join(', ')}` }),
})
export type LoginBody = z.infer<typeof loginBodySchema>
export type CreateUserBody = z.infer<typeof createUserBodySchema>

export interface SessionUser { id: number, username: string, role: Role }
export interface UserRow extends SessionUser { createdAt: string, lastLoginAt: string | null }
