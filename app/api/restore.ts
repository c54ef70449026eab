import type { RestoreLeftoversView } from '~contract/restore'
import { api } from './client'

const base = (target: string) => `/targets/${encodeURIComponent(target)}`
export const startRestore = (target: string, backup: string, confirm: string) =>
  api<{ jobId: number }>(`${base(target)}/backups/${encodeURIComponent(backup)}/restore`, { method: 'POST', body: { confirm } })
export const listLeftovers = (target: string) => api<RestoreLeftoversView>(`${base(target)}/restore/leftovers`)
export const undoRestore = (target: string, stamp: string, confirm: string) =>
  api<{ jobId: number }>(`${base(target)}/restore/undo`, { method: 'POST', body: { stamp, confirm } })
export const dropLeftover = (target: string, name: string, confirm: string) =>
  api<{ jobId: number }>(`${base(target)}/restore/leftovers/${encodeURIComponent(name)}/drop`, { method: 'POST', body: { confirm } })
