import type { ApiTokenRow, CreatedToken } from '~contract/tokens'
import { api } from './client'

export const listTokens = () => api<ApiTokenRow[]>('/tokens')
export const createToken = (name: string) => api<CreatedToken>('/tokens', { method: 'POST', body: { name } })
export const revokeToken = (id: number) => api<{ ok: true }>(`/tokens/${id}`, { method: 'DELETE' })
