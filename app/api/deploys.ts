import type { Deploy, DeployList, DeployStepKey, EndDeployBody } from '~contract/deploys'
import { api } from './client'

const base = (target: string) => `/targets/${encodeURIComponent(target)}/deploys`
const one = (target: string, id: number) => `${base(target)}/${id}`
const step = (target: string, id: number, key: DeployStepKey) => `${one(target, id)}/steps/${key}`

export const listDeploys = (target: string) => api<DeployList>(base(target))
export const getDeploy = (target: string, id: number) => api<Deploy>(one(target, id))
export const startDeploy = (target: string, body: { note?: string, confirm: string }) => api<Deploy>(base(target), { method: 'POST', body })
export const checkStep = (target: string, id: number, key: DeployStepKey) => api<Deploy>(`${step(target, id, key)}/check`, { method: 'POST', body: {} })
export const overrideStep = (target: string, id: number, key: DeployStepKey, body: { reason: string, confirm: string }) =>
  api<Deploy>(`${step(target, id, key)}/override`, { method: 'POST', body })
export const confirmRestart = (target: string, id: number, note?: string) => api<Deploy>(`${step(target, id, 'restart')}/confirm`, { method: 'POST', body: { note } })
export const acknowledgePrivileges = (target: string, id: number, body: { reason: string, confirm: string }) =>
  api<Deploy>(`${one(target, id)}/acknowledge`, { method: 'POST', body })
export const endDeploy = (target: string, id: number, body: EndDeployBody) => api<Deploy>(`${one(target, id)}/end`, { method: 'POST', body })
