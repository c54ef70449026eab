import type { MigrationRunRequest } from '~contract/migrations'
import type { MigrationDetail, MigrationsView, RunPreconditions } from '~contract/migrations'
import type { LatestRehearsal } from '~contract/rehearsal'
import type { Computed } from '~contract/http'
import { api } from './client'

const base = (target: string) => `/targets/${encodeURIComponent(target)}/migrations`
export const getMigrations = (target: string) => api<Computed<MigrationsView>>(base(target))
export const getMigration = (target: string, name: string) => api<MigrationDetail>(`${base(target)}/${encodeURIComponent(name)}`)
export const getRunPreconditions = (target: string) => api<RunPreconditions>(`${base(target)}/run-preconditions`)
export const runMigrations = (target: string, body: MigrationRunRequest) => api<{ jobId: number }>(`${base(target)}/run`, { method: 'POST', body })
export const getRehearsal = (target: string) => api<LatestRehearsal>(`${base(target)}/rehearsal`)
export const rehearseMigrations = (target: string) => api<{ jobId: number }>(`${base(target)}/rehearse`, { method: 'POST', body: {} })
