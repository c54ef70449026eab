import type { Overview, SkipMigrationsState, SkipMigrationsToggle, TargetSummary, TargetVerdict } from '~contract/targets'
import type { Computed } from '~contract/http'
import { api } from './client'

export const listTargets = () => api<TargetSummary[]>('/targets')
export const listVerdicts = () => api<Computed<TargetVerdict>[]>('/verdicts')
export const getVerdict = (target: string) => api<Computed<TargetVerdict>>(`/targets/${encodeURIComponent(target)}/verdict`)
export const getOverview = (target: string) => api<Computed<Overview>>(`/targets/${encodeURIComponent(target)}/overview`)

export const setSkipMigrations = (target: string, body: SkipMigrationsToggle) =>
  api<SkipMigrationsState & { backup: string }>(`/targets/${encodeURIComponent(target)}/skip-migrations`, { method: 'PUT', body })
