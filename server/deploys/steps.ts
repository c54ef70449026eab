import type pg from 'pg'
import type { AutoCheck, GateResult } from '~contract/checklists'
import type { DeployStepEvidence, DeployStepKey, DeployStepStatus } from '~contract/deploys'
import { isVerified } from '~contract/backups'
import { listBackups } from '../backups/inventory'
import { byNewest } from '../backups/newest'
import { TAKE_JOB, VERIFY_JOB } from '../backups/start'
import { evaluateAutoItems } from '../checklists/evaluate'
import { evaluateGate } from '../checklists/gate'
import type { TargetConfig } from '../config/schema'
import { listJobs } from '../jobs/store'
import { latestRehearsalView } from '../migrations/rehearsal-latest'
import { REHEARSE_JOB } from '../migrations/start-rehearsal'
import { JOB_KIND as RUN_JOB } from '../migrations/start-run'

export interface StepCheck { status: Exclude<DeployStepStatus, 'overridden'>, evidence: DeployStepEvidence, backup?: string }

/** Gate items a later deploy step checks itself: the pre-deploy gate does not ask for a backup the next step takes. */
const DEFERRED: Partial<Record<string, DeployStepKey>> = { 'fresh-verified-backup': 'backup' }

/** The gate for a deploy: the checklists' own evaluation (`evaluateGate`), minus the items a later step owns. */
export async function gateCheck(consoleDb: pg.Pool, target: TargetConfig, phase: 'pre' | 'post', now: Date): Promise<StepCheck> {
  const gate: GateResult = await evaluateGate(consoleDb, target, phase, { now })
  const items = gate.items.map((i) => (phase === 'pre' && DEFERRED[i.key] ? { ...i, deferred: DEFERRED[i.key] } : i))
  const failing = items.filter((i) => !i.pass && !('deferred' in i))
  const value = failing.length ? `blocked by ${failing.length}: ${failing[0]!.label}` : `all ${items.length - items.filter((i) => 'deferred' in i).length} checks pass`
  const detail = failing.map((i) => `${i.label}: ${i.evidence.value}`).join('; ') || undefined
  return { status: failing.length ? 'failed' : 'passed', evidence: { value, seenAt: gate.checkedAt, detail, items } }
}

/** A backup taken since the deploy started and restore-tested: the one retention then keeps for the deploy. */
export async function backupCheck(consoleDb: pg.Pool, target: TargetConfig, since: string, now: Date): Promise<StepCheck> {
  // Names carry whole seconds: a backup taken in the deploy's first second is named before its start.
  const from = Math.floor(Date.parse(since) / 1000) * 1000
  const taken = (await listBackups(consoleDb, target, { now })).filter((b) => b.status !== 'partial' && Date.parse(b.createdAt) >= from).sort(byNewest)
  const jobs = await jobsSince(consoleDb, target, [TAKE_JOB, VERIFY_JOB], since)
  const tested = taken.find(isVerified)
  const seenAt = now.toISOString()
  if (tested) {
    const value = `${tested.id}: restore-tested${tested.verifiedAt ? ` at ${tested.verifiedAt}` : ''}`
    return { status: 'passed', backup: tested.id, evidence: { value, seenAt, backup: tested.id, jobs, detail: 'Pinned: retention keeps it while the deploy is open and for deployPinDays after.' } }
  }
  const value = taken.length ? `${taken[0]!.id} is ${taken[0]!.status}: run its restore test` : 'no backup taken since the deploy started'
  return { status: 'failed', evidence: { value, seenAt, jobs, backup: taken[0]?.id, detail: taken[0]?.problem } }
}

/** A successful rehearsal of exactly the migrations pending now; skipped where dbsafe cannot rehearse or nothing is pending. */
export async function rehearsalCheck(consoleDb: pg.Pool, target: TargetConfig, since: string, now: Date): Promise<StepCheck> {
  const seenAt = now.toISOString()
  if (target.migrationsTracker !== 'dbsafe') {
    return { status: 'skipped', evidence: { value: 'not available', seenAt, detail: 'The app runs its migrations with its own tool; dbsafe rehearses only the migrations it runs itself.' } }
  }
  const pending = await autoCheck(consoleDb, target, 'no-pending', now)
  if (pending.pass) return { status: 'skipped', evidence: { ...pending.evidence, value: `nothing to rehearse (${pending.evidence.value})` } }
  const { rehearsal, drift } = await latestRehearsalView(consoleDb, target)
  const jobs = await jobsSince(consoleDb, target, [REHEARSE_JOB], since)
  if (!rehearsal) return { status: 'failed', evidence: { value: 'no rehearsal yet', seenAt, jobs, detail: pending.evidence.detail } }
  const ran = `rehearsal #${rehearsal.id} of ${rehearsal.migrations.length} migration(s) on ${rehearsal.backup.id}`
  if (drift?.changed) {
    const what = [...drift.modified.map((m) => `${m} changed`), ...drift.added.map((m) => `${m} not rehearsed`)].join(', ')
    return { status: 'failed', evidence: { value: `${ran} is out of date`, seenAt, jobs, rehearsal: rehearsal.id, detail: what || undefined } }
  }
  return { status: rehearsal.ok ? 'passed' : 'failed', evidence: { value: `${ran} ${rehearsal.ok ? 'succeeded' : 'failed'}`, seenAt, jobs, rehearsal: rehearsal.id } }
}

/** Every migration applied, with the runs started since the deploy began. */
export async function migrationsCheck(consoleDb: pg.Pool, target: TargetConfig, since: string, now: Date): Promise<StepCheck> {
  const r = await autoCheck(consoleDb, target, 'no-pending', now)
  return { status: r.pass ? 'passed' : 'failed', evidence: { ...r.evidence, jobs: await jobsSince(consoleDb, target, [RUN_JOB], since) } }
}

/** The same check as the checklists': the app will not run migrations when it restarts. */
export async function skipMigrationsCheck(consoleDb: pg.Pool, target: TargetConfig, now: Date): Promise<StepCheck> {
  const r = await autoCheck(consoleDb, target, 'skip-migrations', now)
  return { status: r.pass ? 'passed' : 'failed', evidence: r.evidence }
}

async function autoCheck(consoleDb: pg.Pool, target: TargetConfig, check: AutoCheck, now: Date) {
  const results = await evaluateAutoItems(consoleDb, target, [{ key: check, check }], now, { now })
  return results.get(check)!
}

async function jobsSince(consoleDb: pg.Pool, target: TargetConfig, kinds: string[], since: string): Promise<NonNullable<DeployStepEvidence['jobs']>> {
  const jobs = await listJobs(consoleDb, { target: target.id, kinds, limit: 20 * kinds.length })
  return jobs.filter((j) => new Date(j.createdAt).getTime() >= Date.parse(since))
    .sort((a, b) => a.id - b.id).map((j) => ({ id: j.id, kind: j.kind, status: j.status }))
}
