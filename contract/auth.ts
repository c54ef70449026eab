// Users, roles and sessions, shared by the SPA and the API.
import { z } from 'zod'

export const ROLES = ['viewer', 'operator', 'admin'] as const
export type Role = (typeof ROLES)[number]

export const usernameSchema = z.string().trim().regex(/^[a-zA-Z0-9_.-]{1,64}$/, { error: '1–64 letters, digits, ".", "_" or "-"' })
export const loginBodySchema = z.strictObject({
  username: z.string().min(1, { error: 'required' }).max(64),
  password: z.string().min(1, { error: 'required' }).max(1024),
})
const newPasswordSchema = z.string().min(12, { error: 'at least 12 characters' }).max(1024)
const roleSchema = z.enum(ROLES, { error: `one of ${ROLES.join(', ')}` })
export const createUserBodySchema = z.strictObject({
  username: usernameSchema,
  password: newPasswordSchema,
  role: roleSchema,
})
/** An admin's change to a user; either change ends that user's sessions (but the admin's own current one). */
export const updateUserBodySchema = z.strictObject({
  password: newPasswordSchema.optional(),
  role: roleSchema.optional(),
}).refine((b) => b.password !== undefined || b.role !== undefined, { error: 'give a new password or role' })
/** A user's change of their own password: the current one proves it is them, not someone at an open session. */
export const ownPasswordBodySchema = z.strictObject({
  currentPassword: z.string().min(1, { error: 'required' }).max(1024),
  newPassword: newPasswordSchema,
}).refine((b) => b.newPassword !== b.currentPassword, { error: 'the new password must differ from the current one', path: ['newPassword'] })
export type LoginBody = z.infer<typeof loginBodySchema>
export type CreateUserBody = z.infer<typeof createUserBodySchema>
export type UpdateUserBody = z.infer<typeof updateUserBodySchema>
export type OwnPasswordBody = z.infer<typeof ownPasswordBodySchema>

export interface SessionUser { id: number, username: string, role: Role }
export interface UserRow extends SessionUser { createdAt: string, lastLoginAt: string | null }
