import type { Overview, TargetSummary } from '../../contract/api'
import { api } from './client'

export const listTargets = () => api<TargetSummary[]>('/targets')
export const getOverview = (target: string) => api<Overview>(`/targets/${encodeURIComponent(target)}/overview`)
