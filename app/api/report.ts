import type { SafetyReport } from '~contract/report'
import { api } from './client'

const path = (target: string, deploy: number | null, markdown = false) => {
  const query = new URLSearchParams({ ...(markdown ? { format: 'markdown' } : {}), ...(deploy ? { deploy: String(deploy) } : {}) }).toString()
  return `/targets/${encodeURIComponent(target)}/report${query ? `?${query}` : ''}`
}

/** The target's safety report; for one deploy, that deploy's record comes first. */
export const getReport = (target: string, deploy: number | null = null) => api<SafetyReport>(path(target, deploy))
/** Same-origin link: the session cookie goes with it, the server names the file. */
export const reportDownloadUrl = (target: string, deploy: number | null = null) => `/api${path(target, deploy, true)}`
