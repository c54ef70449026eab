import type pg from 'pg'
import type { Evidence } from '~contract/checklists'
import type { PrivilegeDiff } from '~contract/deploys'
import type { TargetConfig } from '../config/schema'
import { targetPool } from '../database/target-pool'
import { errorText } from '../database/error-text'
import { appRoleOf } from '../envfile/connection'
import { readEnvFile } from '../envfile/read'
import { diffEntries, readPrivilegeSnapshot, type PrivilegeSnapshot } from './privilege-snapshot'
import { gateCheck, type StepCheck } from './steps'
import * as store from './store'

const ITEM = { key: 'privileges', label: 'No new destructive power for the app role since the deploy started (or acknowledged)' }

/** The app role's powers at the deploy's start; null when they cannot be read (the post-deploy gate then says why it cannot compare). */
export async function startPrivileges(target: TargetConfig, now: Date): Promise<PrivilegeSnapshot | null> {
  try {
    return await snapshotOf(target, now)
  } catch {
    return null
  }
}

/** The post-deploy gate: the checklists' gate, and the privileges compared with the start. */
export async function postGateCheck(consoleDb: pg.Pool, target: TargetConfig, deployId: number, now: Date): Promise<StepCheck> {
  const [gate, privileges] = await Promise.all([gateCheck(consoleDb, target, 'post', now), privilegeItem(consoleDb, target, deployId, now)])
  const items = [...gate.evidence.items!, { ...ITEM, ...privileges }]
  const failing = items.filter((i) => !i.pass)
  const value = failing.length ? `blocked by ${failing.length}: ${failing[0]!.label}` : `all ${items.length} checks pass`
  const detail = failing.map((i) => `${i.label}: ${i.evidence.value}`).join('; ') || undefined
  return { status: failing.length ? 'failed' : 'passed', evidence: { value, seenAt: gate.evidence.seenAt, detail, items } }
}

async function privilegeItem(consoleDb: pg.Pool, target: TargetConfig, deployId: number, now: Date): Promise<{ pass: boolean, evidence: Evidence }> {
  const seenAt = now.toISOString()
  const start = await store.privilegeRow(consoleDb, deployId, true)
  if (!start?.startEntries) return { pass: false, evidence: { value: 'could not compare', seenAt, detail: 'The privileges at the deploy\'s start were not read (target or role unavailable then).' } }
  let end: PrivilegeSnapshot | null
  try {
    end = await snapshotOf(target, now)
  } catch (err) {
    return { pass: false, evidence: { value: 'could not check', seenAt, detail: errorText(err) } }
  }
  if (!end) return { pass: false, evidence: { value: `role ${start.role} no longer exists`, seenAt } }
  const { added, removed } = end.hash === start.startHash ? { added: [], removed: [] } : diffEntries(start.startEntries, end)
  const diff: Omit<PrivilegeDiff, 'acknowledged'> = { role: start.role, startAt: start.startAt, endAt: seenAt, counts: { start: start.startCounts, end: end.counts }, added, removed }
  const destructive = added.filter((c) => c.destructive)
  // An acknowledgement covers the powers it was given for: a further new one needs its own.
  const acknowledged = new Set(start.diff?.added.filter((c) => c.destructive).map((c) => c.entry))
  const keepAck = start.ackBy !== null && destructive.every((c) => acknowledged.has(c.entry))
  await store.savePrivilegeDiff(consoleDb, deployId, diff, keepAck)
  const changes = `${added.length} added, ${removed.length} removed`
  if (!destructive.length) return { pass: true, evidence: { value: added.length || removed.length ? changes : 'unchanged', seenAt } }
  const value = `${destructive.length} new destructive power(s)${keepAck ? `, acknowledged by ${start.ackBy}` : ''}`
  return { pass: keepAck, evidence: { value, seenAt, detail: destructive.map((c) => c.entry).join('; ') } }
}

async function snapshotOf(target: TargetConfig, now: Date): Promise<PrivilegeSnapshot | null> {
  const env = readEnvFile(target.envFile)
  const role = appRoleOf(target, env)
  if (!role) throw new Error(`no app role: set "appRole" for ${target.id} or DB_USER in ${target.envFile}`)
  return readPrivilegeSnapshot(targetPool(target, env), role, now)
}
