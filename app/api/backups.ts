import type { BackupEntry, BackupsVerdict, RetentionPlan } from '~contract/backups'
import { api } from './client'

const base = (target: string) => `/targets/${encodeURIComponent(target)}/backups`
export const listBackups = (target: string) => api<BackupEntry[]>(base(target))
export const backupFreshness = (target: string) => api<BackupsVerdict>(`${base(target)}/freshness`)
export const takeBackup = (target: string, body: { confirm: string, label?: string }) => api<{ jobId: number }>(base(target), { method: 'POST', body })
export const verifyBackup = (target: string, id: string) => api<{ jobId: number }>(`${base(target)}/${encodeURIComponent(id)}/verify`, { method: 'POST', body: {} })
export const retentionPreview = (target: string) => api<RetentionPlan>(`${base(target)}/retention`)
export const pruneBackups = (target: string, confirm: string) => api<{ removed: RetentionPlan['remove'] }>(`${base(target)}/prune`, { method: 'POST', body: { confirm } })
export const downloadUrl = (target: string, id: string) => `/api${base(target)}/${encodeURIComponent(id)}/download`
