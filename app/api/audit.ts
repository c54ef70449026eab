import type { AuditEntry } from '~contract/audit'
import { api } from './client'

export interface AuditFilter { actor?: string, action?: string, target?: string, outcome?: 'ok' | 'refused', before?: number }

export function listAudit(filter: AuditFilter, limit = 50) {
  const params = new URLSearchParams({ limit: String(limit) })
  for (const [k, v] of Object.entries(filter)) if (v !== undefined && v !== '') params.set(k, String(v))
  return api<AuditEntry[]>(`/audit?${params}`)
}
