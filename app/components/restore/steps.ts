import type { Job } from '~contract/jobs'
import type { EmergencyRestoreResult, RestoreStepName } from '~contract/restore'

/** The emergency restore's steps in order, as a person reads them. */
export const RESTORE_STEPS: { step: RestoreStepName, label: string }[] = [
  { step: 'preflight', label: 'Check the backup and the restore role' },
  { step: 'skip-migrations', label: 'Set SKIP_MIGRATIONS=true' },
  { step: 'safety-backup', label: 'Safety backup of the live database' },
  { step: 'restore', label: 'Restore into a new database' },
  { step: 'counts', label: 'Check tables and exact row counts' },
  { step: 'privileges', label: 'Recreate owners and grants' },
  { step: 'swap', label: 'Swap the databases' },
]

export type StepView = { step: RestoreStepName, label: string, status: 'ok' | 'failed' | 'running' | 'pending' | 'not-run', detail?: string }

/**
 * Each step's state: from the job's result once it has one (it has, failed or not), else from the running
 * step its progress message names (`<step>: …`).
 */
export function restoreSteps(job: Job | null): StepView[] {
  const result = job?.result as EmergencyRestoreResult | null | undefined
  if (result?.steps) {
    return RESTORE_STEPS.map((s) => {
      const r = result.steps.find((x) => x.step === s.step)
      return { ...s, status: r?.status ?? 'not-run', detail: r?.detail }
    })
  }
  const current = RESTORE_STEPS.findIndex((s) => job?.progress.message?.startsWith(`${s.step}: `))
  // The running step's own message is the job's progress line, shown above the steps.
  return RESTORE_STEPS.map((s, i) => ({ ...s, status: i < current ? 'ok' : i === current ? 'running' : 'pending' }))
}
