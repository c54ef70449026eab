import type { Overview, SkipMigrationsState, SkipMigrationsToggle, TargetSummary } from '~contract/targets'
import type { Computed } from '~contract/http'
import { api } from './client'

export const listTargets = () => api<TargetSummary[]>('/targets')
export const getOverview = (target: string) => api<Computed<Overview>>(`/targets/${encodeURIComponent(target)}/overview`)

export const setSkipMigrations = (target: string, body: SkipMigrationsToggle) =>
  api<SkipMigrationsState & { backup: string }>(`/targets/${encodeURIComponent(target)}/skip-migrations`, { method: 'PUT', body })
