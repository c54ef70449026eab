import type { MonitoringSnapshot, SizeSample } from '~contract/monitoring'
import { api } from './client'

const base = (target: string) => `/targets/${encodeURIComponent(target)}/monitoring`

export const getMonitoring = (target: string) => api<MonitoringSnapshot>(base(target))
export const getSizeHistory = (target: string, days = 30) => api<SizeSample[]>(`${base(target)}/size-history?days=${days}`)
