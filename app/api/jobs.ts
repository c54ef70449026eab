import type { Job, JobWithLog } from '~contract/jobs'
import { api } from './client'

export const getJob = (id: number) => api<JobWithLog>(`/jobs/${id}`)
export const listJobs = (target: string, kind?: string) => api<Job[]>(`/jobs?target=${encodeURIComponent(target)}${kind ? `&kind=${encodeURIComponent(kind)}` : ''}&limit=20`)
export const jobEventsUrl = (id: number) => `/api/jobs/${id}/events`
