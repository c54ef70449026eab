import type { AbandonBody, ChecklistPhase, ChecklistRun, ChecklistRunSummary, ChecklistTemplate, NoteBody, SignOffBody, TickBody } from '~contract/checklists'
import { api } from './client'

const base = (target: string) => `/targets/${encodeURIComponent(target)}/checklists`
const run = (target: string, id: number) => `${base(target)}/runs/${id}`

export const getTemplates = (target: string) => api<ChecklistTemplate[]>(`${base(target)}/templates`)
export const listRuns = (target: string) => api<ChecklistRunSummary[]>(`${base(target)}/runs`)
export const startRun = (target: string, phase: ChecklistPhase) => api<ChecklistRun>(`${base(target)}/runs`, { method: 'POST', body: { phase } })
export const getRun = (target: string, id: number) => api<ChecklistRun>(run(target, id))
export const evaluateRun = (target: string, id: number) => api<ChecklistRun>(`${run(target, id)}/evaluate`, { method: 'POST', body: {} })
export const tickItem = (target: string, id: number, key: string, body: TickBody) =>
  api<ChecklistRun>(`${run(target, id)}/items/${encodeURIComponent(key)}`, { method: 'PUT', body })
export const signOffRun = (target: string, id: number, body: SignOffBody) => api<ChecklistRun>(`${run(target, id)}/signoff`, { method: 'POST', body })
export const noteItem = (target: string, id: number, key: string, body: NoteBody) =>
  api<ChecklistRun>(`${run(target, id)}/items/${encodeURIComponent(key)}/note`, { method: 'PUT', body })
export const abandonRun = (target: string, id: number, body: AbandonBody) => api<ChecklistRun>(`${run(target, id)}/abandon`, { method: 'POST', body })
