import type { PrivilegeReview } from '~contract/privileges'
import type { Computed } from '~contract/http'
import { api } from './client'

export const getPrivileges = (target: string, role?: string) =>
  api<Computed<PrivilegeReview>>(`/targets/${encodeURIComponent(target)}/privileges${role ? `?role=${encodeURIComponent(role)}` : ''}`)
