import { createHash } from 'node:crypto'
import pg from 'pg'
import type { RestoreStep } from '~contract/restore'
import { recordAudit } from '../audit/record'
import type { TargetConfig } from '../config/schema'
import { BusyError } from '../errors'
import { holdAdvisoryLock, startJob, type HeldLock } from '../jobs/lifecycle'
import { emergencyRestore } from './emergency'
import { dropLeftover } from './leftovers'
import { restoreStamp } from './names'
import { checkBackupUsable, checkDropReady, checkRestoreReady, checkUndoReady } from './ready'
import { undoRestore } from './undo'

export const RESTORE_JOB = 'restore.emergency'
export const UNDO_JOB = 'restore.undo'
export const DROP_JOB = 'restore.drop'

// Restores, undos and drops of one target take turns, whichever console instance asks: an advisory lock in the
// console database (which every instance shares), taken before the job exists. Not in the target's database:
// the swap ends every session there.
const RESTORE_JOB_LOCK_NAMESPACE = 730_519
const RESTORE_KINDS = [RESTORE_JOB, UNDO_JOB, DROP_JOB]

export class RestoreJobBusyError extends BusyError {
  constructor(target: TargetConfig) {
    super(`An emergency restore, undo or drop of ${target.label} is already running; try again when it has finished`)
  }
}

/** Starts restoring `backup` in place of the target's live database, once the checks that change nothing have passed. */
export async function startEmergencyRestore(consoleDb: pg.Pool, target: TargetConfig, actor: string, backup: string): Promise<number> {
  const { jobId } = await startJob(consoleDb, {
    kind: RESTORE_JOB, target: target.id, actor,
    lock: () => lockRestores(consoleDb, target), lockKinds: RESTORE_KINDS,
    plan: async () => {
      await checkBackupUsable(consoleDb, target, backup)
      const ready = await checkRestoreReady(target)
      // Names carry the second: starting on a fresh one (≤ 1 s, under the restore lock) means a restore never
      // meets the names of the one before it, even one that ended this same second on another console.
      await new Promise((r) => setTimeout(r, 1000 - (Date.now() % 1000) + 5))
      const now = new Date()
      const stamp = restoreStamp(now)
      // Each step is audited as it ends: a console that dies mid-restore still leaves what it changed on record.
      const audits: Promise<void>[] = []
      const onStep = (step: RestoreStep) => audits.push(auditStep(consoleDb, target, actor, { backup, stamp }, step))
      return {
        params: { backup, database: ready.database, role: ready.role, stamp },
        run: async (ctx) => {
          try {
            const result = await emergencyRestore(target, backup, { who: actor, now, onStep }, ctx)
            ctx.progress({ done: result.steps.length, total: result.steps.length, bytes: 0, message: `restored; the previous database is kept as "${result.setAside}"` })
            return result
          } catch (err) {
            ctx.progress({ message: 'failed; the live database was not changed' })
            throw err
          } finally {
            await Promise.all(audits)
          }
        },
      }
    },
  })
  return jobId
}

/** Starts the swap back of the restore made at `stamp`. */
export async function startUndoRestore(consoleDb: pg.Pool, target: TargetConfig, actor: string, stamp: string): Promise<number> {
  const { jobId } = await startJob(consoleDb, {
    kind: UNDO_JOB, target: target.id, actor,
    lock: () => lockRestores(consoleDb, target), lockKinds: RESTORE_KINDS,
    plan: async () => {
      const aside = await checkUndoReady(target, stamp)
      return {
        params: { stamp, bringBack: aside.name },
        run: async (ctx) => {
          const undone = await undoRestore(target, stamp, {}, ctx)
          ctx.progress({ done: 1, total: 1, message: `"${undone.broughtBack}" is live again; the restored database is kept as "${undone.setAside}"` })
          return undone
        },
      }
    },
  })
  return jobId
}

/** Starts dropping one leftover database, named exactly. */
export async function startDropLeftover(consoleDb: pg.Pool, target: TargetConfig, actor: string, name: string): Promise<number> {
  const { jobId } = await startJob(consoleDb, {
    kind: DROP_JOB, target: target.id, actor,
    lock: () => lockRestores(consoleDb, target), lockKinds: RESTORE_KINDS,
    plan: async () => {
      const leftover = await checkDropReady(target, name)
      return {
        params: { name, kind: leftover.kind, sizeBytes: leftover.sizeBytes },
        run: async (ctx) => {
          ctx.log(`dropping "${name}"`)
          const dropped = await dropLeftover(target, name)
          ctx.log(`dropped "${name}"`)
          return dropped
        },
      }
    },
  })
  return jobId
}

async function lockRestores(consoleDb: pg.Pool, target: TargetConfig): Promise<HeldLock<undefined>> {
  const client = new pg.Client({ ...consoleDb.options, application_name: 'dbsafe-restore-lock' })
  client.on('error', () => {})
  await client.connect()
  const key = createHash('sha256').update(target.id).digest().readInt32BE(0)
  const held = await holdAdvisoryLock(client, [RESTORE_JOB_LOCK_NAMESPACE, key], () => new RestoreJobBusyError(target), () => client.end().catch(() => {}))
  return { session: undefined, release: held.release }
}

async function auditStep(consoleDb: pg.Pool, target: TargetConfig, actor: string, params: Record<string, unknown>, step: RestoreStep): Promise<void> {
  await recordAudit(consoleDb, {
    actor, action: `${RESTORE_JOB}.${step.step}`, target: target.id, params: { ...params, detail: step.detail, durationMs: step.durationMs },
    outcome: step.status === 'ok' ? 'ok' : `failed: ${step.detail ?? ''}`,
  }).catch(() => {})
}
