import type { CreateUserBody, UpdateUserBody, UserRow } from '~contract/auth'
import { api } from './client'

export const listUsers = () => api<UserRow[]>('/users')
export const createUser = (body: CreateUserBody) => api<UserRow>('/users', { method: 'POST', body })
export const deleteUser = (id: number) => api<{ ok: true }>(`/users/${id}`, { method: 'DELETE' })
export const updateUser = (id: number, body: UpdateUserBody) => api<UserRow>(`/users/${id}`, { method: 'PATCH', body })
