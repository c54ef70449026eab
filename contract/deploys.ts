// A deploy as a record: its steps in order, each with evidence, and the app role's privileges across it.
import { z } from 'zod'
import type { Evidence } from './checklists'

export const DEPLOY_STEPS = ['pre-gate', 'backup', 'rehearsal', 'migrations', 'skip-migrations', 'restart', 'post-gate'] as const
export type DeployStepKey = (typeof DEPLOY_STEPS)[number]

export const DEPLOY_STEP_TITLES: Record<DeployStepKey, string> = {
  'pre-gate': 'Pre-deploy gate',
  'backup': 'Backup and restore test',
  'rehearsal': 'Rehearse the migrations',
  'migrations': 'Review and run the migrations',
  'skip-migrations': 'SKIP_MIGRATIONS exactly "true" before the restart',
  'restart': 'Update the code, build, restart the app',
  'post-gate': 'Post-deploy gate',
}

/** What the last check of a step recorded: `failed` keeps the step current; the others let the next one start. */
export type DeployStepStatus = 'passed' | 'failed' | 'overridden' | 'skipped'
/** As the page shows it: a step after the first not-done one is locked. */
export type DeployStepState = 'passed' | 'overridden' | 'skipped' | 'current' | 'locked'

export interface DeployStepEvidence extends Evidence {
  /** Console jobs this step saw (a backup, its restore test, a migration run). */
  jobs?: { id: number, kind: string, status: string }[]
  /** The gate's items, for the two gates; `deferred` names the step that checks it instead. */
  items?: { key: string, label: string, pass: boolean, evidence: Evidence, deferred?: DeployStepKey }[]
  backup?: string
  rehearsal?: number
}

export interface DeployStep {
  key: DeployStepKey
  title: string
  state: DeployStepState
  /** The last check (or confirmation, or skip), failed ones included; null before the first. */
  status: DeployStepStatus | null
  evidence: DeployStepEvidence | null
  checkedBy: string | null
  checkedAt: string | null
  override: { by: string, at: string, reason: string } | null
}

export const DEPLOY_OUTCOMES = ['succeeded', 'succeeded-with-overrides', 'abandoned', 'rolled-back'] as const
export type DeployOutcome = (typeof DEPLOY_OUTCOMES)[number]
export const DEPLOY_OUTCOME_LABELS: Record<DeployOutcome, string> = {
  'succeeded': 'succeeded', 'succeeded-with-overrides': 'succeeded with overrides', 'abandoned': 'abandoned', 'rolled-back': 'rolled back',
}

export interface DeploySummary {
  id: number
  target: string
  note: string | null
  startedBy: string
  startedAt: string
  endedBy: string | null
  endedAt: string | null
  /** null while open. */
  outcome: DeployOutcome | null
  endReason: string | null
  /** The emergency restore job of a rolled-back deploy, when one was used. */
  restoreJobId: number | null
  /** The backup taken for this deploy: retention keeps it while open and for `deployPinDays` after. */
  backup: string | null
  /** The step that is current (null once every step is done or the deploy ended). */
  current: DeployStepKey | null
}

/** One privilege entry, e.g. `grant table public.orders TRUNCATE`; `destructive` when it adds a power to drop or wipe. */
export interface PrivilegeChange { entry: string, destructive: boolean }

export interface PrivilegeDiff {
  role: string
  startAt: string
  endAt: string
  /** Entries per kind at each end: attributes, memberships, owners, grants, defaults. */
  counts: { start: Record<string, number>, end: Record<string, number> }
  added: PrivilegeChange[]
  removed: PrivilegeChange[]
  /** A new destructive power passes the post-deploy gate only once acknowledged. */
  acknowledged: { by: string, at: string, reason: string } | null
}

export interface Deploy extends DeploySummary {
  steps: DeployStep[]
  /** At the start (counts only) and, once the post-deploy gate ran, the difference. */
  privileges: { role: string, startAt: string, counts: Record<string, number>, diff: PrivilegeDiff | null } | null
}

export interface DeployList { open: Deploy | null, history: DeploySummary[] }

const reason = z.string().trim().min(10, { error: 'at least 10 characters: say why' }).max(2000)

export const deployParamsSchema = z.object({ deploy: z.coerce.number({ error: 'a deploy id (number)' }).int().positive({ error: 'a deploy id (number)' }) })
export const deployStepParamsSchema = deployParamsSchema.extend({ step: z.enum(DEPLOY_STEPS, { error: `one of ${DEPLOY_STEPS.join(', ')}` }) })
export const startDeploySchema = z.strictObject({ note: z.string().trim().max(500).optional(), confirm: z.string().optional() })
export const overrideStepSchema = z.strictObject({ reason, confirm: z.string().optional() })
export const confirmStepSchema = z.strictObject({ note: z.string().trim().max(500).optional() })
export const acknowledgePrivilegesSchema = z.strictObject({ reason, confirm: z.string().optional() })
export const endDeploySchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('succeeded'), reason: z.string().trim().max(2000).optional() }),
  z.strictObject({ outcome: z.literal('abandoned'), reason }),
  z.strictObject({ outcome: z.literal('rolled-back'), reason, restoreJobId: z.number().int().positive().optional() }),
], { error: 'outcome: succeeded, abandoned or rolled-back' })

export type StartDeployBody = z.infer<typeof startDeploySchema>
export type OverrideStepBody = z.infer<typeof overrideStepSchema>
export type EndDeployBody = z.infer<typeof endDeploySchema>
