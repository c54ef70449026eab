import type pg from 'pg'
import { DEPLOY_STEP_TITLES, DEPLOY_STEPS, type Deploy, type DeployList, type DeployStep, type DeployStepKey, type DeploySummary, type EndDeployBody } from '~contract/deploys'
import type { TargetConfig } from '../config/schema'
import { inTransaction } from '../database/transaction'
import { RefusedError } from '../errors'
import { listJobs } from '../jobs/store'
import { RESTORE_JOB } from '../restore/start'
import { postGateCheck, startPrivileges } from './privileges'
import { backupCheck, gateCheck, migrationsCheck, rehearsalCheck, skipMigrationsCheck, type StepCheck } from './steps'
import * as store from './store'

/** Opens a deploy of the target with the app role's privileges as they are now; one open deploy per target. */
export async function startDeploy(consoleDb: pg.Pool, target: TargetConfig, who: string, note: string | null, now = new Date()): Promise<Deploy> {
  const snapshot = await startPrivileges(target, now)
  const id = await inTransaction(consoleDb, async (client) => {
    const row = await store.insertDeploy(client, target.id, who, note || null)
    if (snapshot) await store.savePrivilegeStart(client, row.id, snapshot)
    return row.id
  })
  return getDeploy(consoleDb, target, id)
}

export async function getDeploy(consoleDb: pg.Pool, target: Pick<TargetConfig, 'id'>, id: number): Promise<Deploy> {
  const row = await store.deployRow(consoleDb, target.id, id)
  const [steps, privileges] = await Promise.all([store.stepRows(consoleDb, id), store.privilegeRow(consoleDb, id)])
  const view = stepStates(steps)
  return {
    ...row,
    current: row.endedAt ? null : view.find((s) => s.state === 'current')?.key ?? null,
    steps: view,
    privileges: privileges && {
      role: privileges.role, startAt: privileges.startAt, counts: privileges.startCounts,
      diff: privileges.diff && { ...privileges.diff, acknowledged: privileges.ackBy ? { by: privileges.ackBy, at: privileges.ackAt!, reason: privileges.ackReason! } : null },
    },
  }
}

export async function listDeploys(consoleDb: pg.Pool, target: Pick<TargetConfig, 'id'>): Promise<DeployList> {
  const rows = await store.deployRows(consoleDb, target.id)
  const open = rows.find((r) => !r.endedAt)
  return { open: open ? await getDeploy(consoleDb, target, open.id) : null, history: rows.map((r) => ({ ...r, current: null })) }
}

/** For the home page: the open deploy (with its current step), and the last one that ended with its outcome. */
export async function deploySummaries(consoleDb: pg.Pool, targetId: string): Promise<{ open: DeploySummary | null, last: DeploySummary | null }> {
  const target = { id: targetId }
  const rows = await store.deployRows(consoleDb, targetId, 20)
  const open = rows.find((r) => !r.endedAt)
  const last = rows.find((r) => r.endedAt)
  return {
    open: open ? await getDeploy(consoleDb, target, open.id).then(({ steps: _s, privileges: _p, ...summary }) => summary) : null,
    last: last ? { ...last, current: null } : null,
  }
}

/** Checks the current step against live state and records what it saw; a locked or finished step is refused. */
export async function checkStep(consoleDb: pg.Pool, target: TargetConfig, id: number, step: DeployStepKey, who: string, now = new Date()): Promise<Deploy> {
  if (step === 'restart') throw new RefusedError('The restart happens outside dbsafe: confirm it once done', { code: 'confirm-restart', status: 400 })
  const deploy = await requireCurrent(consoleDb, target, id, step)
  const result = await evaluate(consoleDb, target, deploy, step, now)
  await record(consoleDb, target, id, step, async (client) => {
    await store.saveStep(client, id, step, result.status, result.evidence, who)
    if (result.backup) await store.setDeployBackup(client, id, result.backup)
  })
  return getDeploy(consoleDb, target, id)
}

/** An admin lets the deploy past the current step with a written reason; the step stays "overridden", never passed. */
export async function overrideStep(consoleDb: pg.Pool, target: TargetConfig, id: number, step: DeployStepKey, who: string, reason: string): Promise<Deploy> {
  await requireCurrent(consoleDb, target, id, step)
  await record(consoleDb, target, id, step, (client) => store.saveOverride(client, id, step, who, reason))
  return getDeploy(consoleDb, target, id)
}

/** The person says the code was updated, built and the app restarted: dbsafe cannot see it, so it records who said so. */
export async function confirmRestart(consoleDb: pg.Pool, target: TargetConfig, id: number, who: string, note: string | null, now = new Date()): Promise<Deploy> {
  await requireCurrent(consoleDb, target, id, 'restart')
  const evidence = { value: `confirmed by ${who}`, seenAt: now.toISOString(), detail: note || undefined }
  await record(consoleDb, target, id, 'restart', (client) => store.saveStep(client, id, 'restart', 'passed', evidence, who))
  return getDeploy(consoleDb, target, id)
}

/** An admin accepts the new destructive powers the post-deploy gate found; the gate is then checked again. */
export async function acknowledgePrivileges(consoleDb: pg.Pool, target: TargetConfig, id: number, who: string, reason: string): Promise<Deploy> {
  await requireCurrent(consoleDb, target, id, 'post-gate')
  const row = await store.privilegeRow(consoleDb, id)
  if (!row?.diff?.added.some((c) => c.destructive)) throw new RefusedError('There is no new destructive power to acknowledge: check the post-deploy gate first', { code: 'nothing-to-acknowledge' })
  await record(consoleDb, target, id, 'post-gate', (client) => store.acknowledgePrivileges(client, id, who, reason))
  return checkStep(consoleDb, target, id, 'post-gate', who)
}

/** Ends the deploy: `succeeded` only once every step is done (with overrides, if any was overridden). */
export async function endDeploy(consoleDb: pg.Pool, target: TargetConfig, id: number, who: string, body: EndDeployBody): Promise<Deploy> {
  await inTransaction(consoleDb, async (client) => {
    const deploy = await store.deployRow(client, target.id, id, true)
    if (deploy.endedAt) throw new RefusedError(`Deploy #${id} already ended (${deploy.outcome})`, { code: 'deploy-ended' })
    const steps = stepStates(await store.stepRows(client, id))
    let outcome = body.outcome as Deploy['outcome'] & string
    let restoreJobId: number | null = null
    if (body.outcome === 'succeeded') {
      const open = steps.filter((s) => s.state === 'current' || s.state === 'locked')
      if (open.length) throw new RefusedError(`Not every step is done: ${open.map((s) => s.title).join(', ')}`, { code: 'steps-not-done', status: 412 })
      if (steps.some((s) => s.state === 'overridden')) outcome = 'succeeded-with-overrides'
    } else if (body.outcome === 'rolled-back') {
      restoreJobId = body.restoreJobId ?? await restoreJobSince(consoleDb, target, deploy.startedAt)
    }
    await store.closeDeploy(client, id, { who, outcome, reason: body.reason || null, restoreJobId })
  })
  return getDeploy(consoleDb, target, id)
}

/** Each step's state: done ones as recorded, the first not done is current, every later one locked. */
export function stepStates(rows: store.StepRow[]): DeployStep[] {
  const byKey = new Map(rows.map((r) => [r.step, r]))
  let reachedCurrent = false
  return DEPLOY_STEPS.map((key) => {
    const r = byKey.get(key)
    const done = r && r.status !== 'failed'
    const state = reachedCurrent ? 'locked' : done ? r.status as 'passed' | 'overridden' | 'skipped' : 'current'
    if (state === 'current') reachedCurrent = true
    return {
      key, title: DEPLOY_STEP_TITLES[key], state, status: r?.status ?? null, evidence: r?.evidence ?? null,
      checkedBy: r?.checkedBy ?? null, checkedAt: r?.checkedAt ?? null,
      override: r?.overrideBy ? { by: r.overrideBy, at: r.overrideAt!, reason: r.overrideReason! } : null,
    }
  })
}

function evaluate(consoleDb: pg.Pool, target: TargetConfig, deploy: Deploy, step: DeployStepKey, now: Date): Promise<StepCheck> {
  switch (step) {
    case 'pre-gate': return gateCheck(consoleDb, target, 'pre', now)
    case 'backup': return backupCheck(consoleDb, target, deploy.startedAt, now)
    case 'rehearsal': return rehearsalCheck(consoleDb, target, deploy.startedAt, now)
    case 'migrations': return migrationsCheck(consoleDb, target, deploy.startedAt, now)
    case 'skip-migrations': return skipMigrationsCheck(consoleDb, target, now)
    default: return postGateCheck(consoleDb, target, deploy.id, now)
  }
}

async function requireCurrent(consoleDb: pg.Pool, target: TargetConfig, id: number, step: DeployStepKey): Promise<Deploy> {
  const deploy = await getDeploy(consoleDb, target, id)
  refuseUnlessCurrent(deploy, step)
  return deploy
}

/** Writes under the deploy's row lock, after checking again that the step is still the current one. */
async function record(consoleDb: pg.Pool, target: TargetConfig, id: number, step: DeployStepKey, write: (client: pg.PoolClient) => Promise<void>): Promise<void> {
  await inTransaction(consoleDb, async (client) => {
    const row = await store.deployRow(client, target.id, id, true)
    refuseUnlessCurrent({ ...row, current: row.endedAt ? null : stepStates(await store.stepRows(client, id)).find((s) => s.state === 'current')?.key ?? null }, step)
    await write(client)
  })
}

function refuseUnlessCurrent(deploy: Pick<Deploy, 'id' | 'endedAt' | 'outcome' | 'current'>, step: DeployStepKey): void {
  if (deploy.endedAt) throw new RefusedError(`Deploy #${deploy.id} already ended (${deploy.outcome})`, { code: 'deploy-ended' })
  if (deploy.current === step) return
  const at = deploy.current ? `"${DEPLOY_STEP_TITLES[deploy.current]}" comes first` : 'every step is done'
  throw new RefusedError(`"${DEPLOY_STEP_TITLES[step]}" is not the current step of deploy #${deploy.id}: ${at}`,
    { code: 'step-locked', data: { current: deploy.current } })
}

async function restoreJobSince(consoleDb: pg.Pool, target: TargetConfig, since: string): Promise<number | null> {
  const jobs = await listJobs(consoleDb, { target: target.id, kinds: [RESTORE_JOB], limit: 5 })
  return jobs.find((j) => new Date(j.createdAt).getTime() >= Date.parse(since))?.id ?? null
}
