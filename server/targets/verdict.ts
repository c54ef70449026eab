import type pg from 'pg'
import type { BackupEntry } from '~contract/backups'
import type { AutoCheck } from '~contract/checklists'
import type { DeploySummary, TargetPage, TargetVerdict, VerdictWarning } from '~contract/targets'
import { listBackups } from '../backups/inventory'
import { newestVerifiedBackup, scheduledBackupHealth } from '../backups/newest'
import { evaluateGate } from '../checklists/gate'
import { deploySummaries } from '../deploys/record'
import type { TargetConfig } from '../config/schema'
import { targetIdentity } from './overview'
import { sharedRead, type SharedAnswer } from './shared-read'

/** The page of a target that fixes a failing automatic item. */
export const FIX_PAGE: Record<AutoCheck, TargetPage> = {
  'reachable': '',
  'skip-migrations': '',
  'fresh-verified-backup': 'backups',
  'no-drift': 'migrations',
  'no-pending': 'migrations',
  'app-role-not-unsafe': 'privileges',
  'connections-headroom': 'monitoring',
  // The failed jobs are named in the item's evidence; a new pre-deploy checklist starts the window afresh.
  'no-failed-jobs': 'checklists',
}

/**
 * "Can we deploy this target now?": the pre-deploy gate evaluated as GET …/gate evaluates it (same items, same
 * pass), each failing item a blocker with the page that fixes it, and the backups read once for the gate, the
 * scheduled-backup warning and the newest restore-tested backup. It never throws for a target that is down.
 */
export async function targetVerdict(consoleDb: pg.Pool, target: TargetConfig, now = new Date()): Promise<TargetVerdict> {
  const backups = listBackups(consoleDb, target, { now })
  const [gate, read] = await Promise.all([
    evaluateGate(consoleDb, target, 'pre', { now, listBackups: () => backups }),
    backups.then((b) => b, () => null),
  ])
  const deploys = await deployFacts(consoleDb, target.id)
  const blockers = gate.items.filter((i) => !i.pass).map((i) => ({
    key: i.key, label: i.label, reason: i.evidence.value, ...(i.evidence.detail ? { detail: i.evidence.detail } : {}),
    page: FIX_PAGE[i.key as AutoCheck] ?? 'checklists',
  }))
  const verified = read && newestVerifiedBackup(read)
  return {
    target: targetIdentity(target),
    state: deploys.current ? 'deploying' : blockers.length ? 'blocked' : 'ready',
    checkedAt: gate.checkedAt,
    blockers,
    warnings: read ? backupWarnings(read, target, now) : [],
    gate,
    newestRestoreTested: verified ? { id: verified.id, createdAt: verified.createdAt, verifiedAt: verified.verifiedAt ?? null } : null,
    deploy: deploys.current,
    lastDeploy: deploys.last,
  }
}

/** The verdict through the shared-read cache: the home page with every target open in several browsers evaluates each once. */
export const sharedVerdict = (consoleDb: pg.Pool, target: TargetConfig): Promise<SharedAnswer<TargetVerdict>> =>
  sharedRead(target.id, 'verdict', [], () => targetVerdict(consoleDb, target))

function backupWarnings(backups: BackupEntry[], target: TargetConfig, now: Date): VerdictWarning[] {
  const { warning } = scheduledBackupHealth(backups, target.scheduledBackupIntervalHours, now)
  return warning ? [{ key: 'scheduled-backup', message: warning, page: 'backups' }] : []
}

/** The open deploy (at which step) and the last ended one, as the verdict names them. */
async function deployFacts(consoleDb: pg.Pool, targetId: string): Promise<{ current: DeploySummary, last: DeploySummary }> {
  const { open, last } = await deploySummaries(consoleDb, targetId)
  return {
    current: open && { id: open.id, state: open.current ? `at ${open.current}` : 'in progress', startedAt: open.startedAt, outcome: null },
    last: last && { id: last.id, state: 'ended', startedAt: last.startedAt, outcome: last.outcome },
  }
}
