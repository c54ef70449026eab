import type { SafetyReport } from '~contract/report'
import { api } from './client'

export const getReport = (target: string) => api<SafetyReport>(`/targets/${encodeURIComponent(target)}/report`)
/** Same-origin link: the session cookie goes with it, the server names the file. */
export const reportDownloadUrl = (target: string) => `/api/targets/${encodeURIComponent(target)}/report?format=markdown`
