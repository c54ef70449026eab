import type { PrivilegeReview } from '~contract/privileges'
import { api } from './client'

export const getPrivileges = (target: string, role?: string) =>
  api<PrivilegeReview>(`/targets/${encodeURIComponent(target)}/privileges${role ? `?role=${encodeURIComponent(role)}` : ''}`)
