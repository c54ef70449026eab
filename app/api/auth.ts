import type { LoginBody, OwnPasswordBody, SessionUser } from '~contract/auth'
import { api } from './client'

export const login = (body: LoginBody) => api<SessionUser>('/auth/login', { method: 'POST', body })
export const logout = () => api<{ ok: true }>('/auth/logout', { method: 'POST' })
export const me = () => api<SessionUser>('/auth/me')
export const changeOwnPassword = (body: OwnPasswordBody) => api<{ ok: true }>('/auth/password', { method: 'POST', body })
