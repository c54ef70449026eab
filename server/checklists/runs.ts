import type pg from 'pg'
import type { AutoCheck, AutoParams, ChecklistPhase, ChecklistRun, ChecklistRunSummary, TickBody } from '~contract/checklists'
import type { TargetConfig } from '../config/schema'
import { inTransaction } from '../database/transaction'
import { NotFoundError, RefusedError } from '../errors'
import { evaluatePhase, type EvaluateOptions } from './evaluate'
import { overridesOf } from './overrides'
import { abandonRefusal, closedRefusal, noteRefusal, signOffRefusal, tickedStatus, tickRefusal } from './rules'
import * as store from './store'
import { checklistTemplate } from './templates'

/** Copies the phase's template into a new run and evaluates its automatic items at once. */
export async function startRun(db: pg.Pool, target: TargetConfig, phase: ChecklistPhase, user: string, opts: EvaluateOptions = {}): Promise<ChecklistRun> {
  const template = checklistTemplate(phase, overridesOf(target))
  const id = await inTransaction(db, (client) => store.insertRun(client, target.id, phase, user, template.items))
  return evaluateRun(db, target, id, user, opts)
}

/** Re-reads live state for every automatic item of an open run; the run passes when that makes every item pass. */
export async function evaluateRun(db: pg.Pool, target: TargetConfig, runId: number, user: string, opts: EvaluateOptions = {}): Promise<ChecklistRun> {
  const run = await getRun(db, target, runId)
  refuseIfClosed(run)
  const refs = (await store.autoItems(db, run.id)).map((i) => ({ key: i.key, check: i.check as AutoCheck, params: i.params as AutoParams }))
  const results = await evaluatePhase(db, target, run.phase, refs, opts, run.id)
  await inTransaction(db, async (client) => {
    refuseIfClosed(await lockedRun(client, target, runId))
    await store.saveEvaluations(client, runId, results, user)
    await store.completeIfAllPass(client, runId)
  })
  return getRun(db, target, runId)
}

export async function tickItem(db: pg.Pool, target: TargetConfig, runId: number, key: string, body: TickBody, user: string): Promise<ChecklistRun> {
  await inTransaction(db, async (client) => {
    const run = await lockedRun(client, target, runId)
    const item = await store.findItem(client, runId, key)
    if (!item) throw new NotFoundError(`Checklist run #${runId} has no item "${key}"`)
    const refusal = tickRefusal(run, item)
    if (refusal) throw new RefusedError(refusal)
    await store.setManualItem(client, runId, key, tickedStatus(body.done), body.note?.trim() || null, user)
    await store.completeIfAllPass(client, runId)
  })
  return getRun(db, target, runId)
}

/** Writes or edits an item's note (an empty note removes it), also after the tick and after the run completed. */
export async function noteItem(db: pg.Pool, target: TargetConfig, runId: number, key: string, note: string, user: string): Promise<ChecklistRun> {
  await inTransaction(db, async (client) => {
    const run = await lockedRun(client, target, runId)
    if (!await store.findItem(client, runId, key)) throw new NotFoundError(`Checklist run #${runId} has no item "${key}"`)
    const refusal = noteRefusal(run)
    if (refusal) throw new RefusedError(refusal)
    await store.setNote(client, runId, key, note.trim() || null, user)
  })
  return getRun(db, target, runId)
}

/** Gives up an open run (the deploy was called off, the run was started by mistake); it stays in the history. */
export async function abandonRun(db: pg.Pool, target: TargetConfig, runId: number, reason: string, user: string): Promise<ChecklistRun> {
  await inTransaction(db, async (client) => {
    const run = await lockedRun(client, target, runId)
    const refusal = abandonRefusal(run, reason)
    if (refusal) throw new RefusedError(refusal)
    await store.markAbandoned(client, runId, user, reason.trim())
  })
  return getRun(db, target, runId)
}

/** An admin's decision to go ahead despite failing items; the reason stays on the run. */
export async function signOffRun(db: pg.Pool, target: TargetConfig, runId: number, reason: string, user: string): Promise<ChecklistRun> {
  await inTransaction(db, async (client) => {
    const run = await lockedRun(client, target, runId)
    const refusal = signOffRefusal(run, reason)
    if (refusal) throw new RefusedError(refusal)
    await store.markSignedOff(client, runId, user, reason.trim())
  })
  return getRun(db, target, runId)
}

export async function getRun(db: pg.Pool | pg.PoolClient, target: TargetConfig, runId: number): Promise<ChecklistRun> {
  const run = await store.findRun(db, target.id, runId)
  if (!run) throw new NotFoundError(`No checklist run #${runId} for ${target.label}`)
  return run
}

export const runHistory = (db: pg.Pool, target: TargetConfig): Promise<ChecklistRunSummary[]> => store.listRuns(db, target.id)

async function lockedRun(client: pg.PoolClient, target: TargetConfig, runId: number) {
  const run = await store.lockRun(client, target.id, runId)
  if (!run) throw new NotFoundError(`No checklist run #${runId} for ${target.label}`)
  return run
}

function refuseIfClosed(run: { id: number, status: ChecklistRun['status'] }): void {
  const refusal = closedRefusal(run)
  if (refusal) throw new RefusedError(refusal)
}
