// Checklist and gate shapes shared by the SPA, the API and the CLI's documentation.
import { z } from 'zod'
import { confirmField } from './http'

export const PHASES = ['pre', 'post'] as const
export type ChecklistPhase = (typeof PHASES)[number]

export const AUTO_CHECKS = [
  'reachable', 'skip-migrations', 'fresh-verified-backup', 'no-drift', 'no-pending',
  'app-role-not-unsafe', 'connections-headroom', 'no-failed-jobs',
] as const
export type AutoCheck = (typeof AUTO_CHECKS)[number]

/** What an automatic item saw, and when: the value a person would have read off the live system. */
export interface Evidence { value: string, seenAt: string, detail?: string }
export interface AutoResult { pass: boolean, evidence: Evidence }

export interface AutoParams {
  /** fresh-verified-backup: the newest verified backup must be younger than this. */
  maxAgeHours?: number
  /** connections-headroom: used / max_connections must stay below this. */
  maxRatio?: number
}

interface ItemTemplateBase { key: string, label: string, help?: string }
export type ChecklistItemTemplate =
  | ItemTemplateBase & { kind: 'auto', check: AutoCheck, params?: AutoParams }
  | ItemTemplateBase & { kind: 'manual' }

export interface ChecklistTemplate { phase: ChecklistPhase, title: string, items: ChecklistItemTemplate[] }

export type ItemStatus = 'pending' | 'pass' | 'fail'
export type RunStatus = 'open' | 'passed' | 'signed-off' | 'abandoned'

export interface ChecklistItem {
  key: string
  position: number
  kind: 'auto' | 'manual'
  label: string
  help: string | null
  check: AutoCheck | null
  status: ItemStatus
  evidence: Evidence | null
  /** Manual items: who ticked it; auto items: who last asked for the evaluation. */
  checkedBy: string | null
  checkedAt: string | null
  note: string | null
  /** Who last wrote the note and when: a note may be added or edited after the tick. */
  notedBy: string | null
  notedAt: string | null
}

export interface ChecklistRunSummary {
  id: number
  target: string
  phase: ChecklistPhase
  status: RunStatus
  startedBy: string
  startedAt: string
  completedAt: string | null
  signedOffBy: string | null
  signOffReason: string | null
  /** An abandoned run: who gave it up, when and why; it never completes. */
  abandonedBy: string | null
  abandonedAt: string | null
  abandonReason: string | null
  total: number
  passing: number
}

export interface ChecklistRun extends ChecklistRunSummary { items: ChecklistItem[] }

export const startRunSchema = z.strictObject({ phase: z.enum(PHASES, { error: 'pre or post' }) })
export const tickSchema = z.strictObject({
  done: z.boolean({ error: 'true to tick the item, false to untick it' }),
  note: z.string().trim().max(2000, { error: 'at most 2000 characters' }).optional(),
})
export const signOffSchema = z.strictObject({
  reason: z.string({ error: 'required' }).trim().min(10, { error: 'at least 10 characters saying why' }).max(2000),
  confirm: confirmField.optional(),
})
export const noteSchema = z.strictObject({
  note: z.string({ error: 'the note (empty to remove it)' }).trim().max(2000, { error: 'at most 2000 characters' }),
})
export const abandonSchema = z.strictObject({
  reason: z.string({ error: 'required' }).trim().min(5, { error: 'at least 5 characters saying why' }).max(2000),
})
export type StartRunBody = z.infer<typeof startRunSchema>
export type TickBody = z.infer<typeof tickSchema>
export type SignOffBody = z.infer<typeof signOffSchema>
export type NoteBody = z.infer<typeof noteSchema>
export type AbandonBody = z.infer<typeof abandonSchema>

export const gateQuerySchema = z.object({ phase: z.enum(PHASES, { error: 'pre or post' }).default('pre') })

/** GET /api/targets/:target/gate: HTTP 200 when `pass`, 412 when not, same body either way. */
export interface GateResult {
  target: string
  phase: ChecklistPhase
  pass: boolean
  checkedAt: string
  items: { key: string, label: string, pass: boolean, evidence: Evidence }[]
}

export const runParamsSchema = z.object({ run: z.coerce.number({ error: 'a run id (number)' }).int().positive({ error: 'a run id (number)' }) })
export const itemParamsSchema = runParamsSchema.extend({
  item: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'an item key (a-z, 0-9, -)' }),
})
