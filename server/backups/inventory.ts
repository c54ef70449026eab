import type pg from 'pg'
import type { BackupEntry } from '~contract/backups'
import { ACTIVE_JOB_STATUSES } from '~contract/jobs'
import type { TargetConfig } from '../config/schema'
import { checkBackupFile } from './checks'
import { listJobs } from '../jobs/store'
import { readManifest, summarize } from './manifest'
import type { ParsedName } from './names'
import { byNewest } from './newest'
import { backupsDirReal } from './paths'
import { scanBackupsDir, type FoundBackup } from './scan'
import { loadChecks, loadVerifications, sameFile, saveCheck, type StoredCheck, type StoredVerification } from './store'

export interface ListOptions {
  now?: Date
  /** PostgreSQL client binaries; default: the newest installed. */
  binDir?: string | null
  /** Files read back at once on a first look. */
  concurrency?: number
}

const DAY_MS = 86_400_000
const BEING_WRITTEN_MS = 60_000

/**
 * The target's backups, newest first, each read back once (gzip stream, pg_restore, completion
 * marker, manifest sha256) and then cached in the console database while it keeps its size and mtime.
 */
export async function listBackups(consoleDb: pg.Pool, target: TargetConfig, opts: ListOptions = {}): Promise<BackupEntry[]> {
  const dir = await backupsDirReal(target)
  const now = opts.now ?? new Date()
  const found = await scanBackupsDir(dir)
  const paths = found.map((f) => f.path)
  const [checks, verifications, writers] = await Promise.all([loadChecks(consoleDb, paths), loadVerifications(consoleDb, paths), fileWriters(consoleDb, target.id)])
  const entries: BackupEntry[] = []
  await forEachLimit(found, opts.concurrency ?? 4, async (f) => {
    const writer = f.parsed.partial ? writers.get(f.id) : undefined
    entries.push(writer !== undefined
      ? { ...baseEntry(target, f, now), status: 'partial', jobId: writer }
      : await describe(consoleDb, target, f, checks.get(f.path), verifications.get(f.path), now, opts.binDir))
  })
  return entries.sort(byNewest)
}

/** The `.partial` files the target's running jobs are writing (a backup, an emergency restore's safety backup), each with its job's id. */
async function fileWriters(consoleDb: pg.Pool, target: string): Promise<Map<string, number>> {
  const jobs = await listJobs(consoleDb, { target, statuses: ACTIVE_JOB_STATUSES })
  return new Map(jobs.filter((j) => j.progress.file).map((j) => [j.progress.file!, j.id]))
}

function baseEntry(target: TargetConfig, f: FoundBackup, now: Date) {
  const createdAt = f.parsed.createdAt ?? new Date(f.mtimeMs)
  const expiresAt = new Date(createdAt.getTime() + target.retentionDays * DAY_MS)
  return {
    id: f.id, file: f.path, sizeBytes: f.sizeBytes, createdAt: createdAt.toISOString(), modifiedAt: new Date(f.mtimeMs).toISOString(),
    format: f.format, ...(f.parsed.label ? { label: f.parsed.label } : {}), scheduled: isScheduled(f.parsed), expiresAt: expiresAt.toISOString(), expired: now.getTime() > expiresAt.getTime(),
  }
}

async function describe(consoleDb: pg.Pool, target: TargetConfig, f: FoundBackup, cached: StoredCheck | undefined,
  verification: StoredVerification | undefined, now: Date, binDir: string | null | undefined): Promise<BackupEntry> {
  const base = baseEntry(target, f, now)
  if (f.parsed.partial) return { ...base, status: 'partial', problem: 'left by a dump that did not finish (no running backup job is writing it)' }

  const read = await readManifest(f.path)
  const manifestMtimeMs = read.state === 'none' ? null : read.mtimeMs
  const manifest = read.state === 'ok' ? read.manifest : null
  let check = cached && sameFile(cached, f) && cached.manifestMtimeMs === manifestMtimeMs ? cached : null
  if (!check) {
    const result = read.state === 'invalid' ? { ok: false, problem: read.problem } : await checkBackupFile(f.path, f.format, manifest, binDir)
    check = { path: f.path, sizeBytes: f.sizeBytes, mtimeMs: f.mtimeMs, manifestMtimeMs, ok: result.ok, problem: result.problem ?? null, sha256: result.sha256 ?? null }
    await saveCheck(consoleDb, target.id, check)
  }
  const known = {
    ...base,
    ...(check.sha256 ? { sha256: check.sha256 } : {}),
    ...(manifest ? { manifest: summarize(manifest), ...(manifest.createdBy ? { createdBy: manifest.createdBy } : {}), ...(manifest.label ? { label: manifest.label } : {}) } : {}),
  }
  const v = verification && sameFile(verification, f) ? verification : null
  const verifiedAt = v?.verifiedAt.toISOString()
  if (!check.ok) {
    // Scripts like the seed's write straight to the final name: such a file fails its check while it grows.
    if (!manifest && !v && now.getTime() - f.mtimeMs < BEING_WRITTEN_MS) {
      return { ...known, status: 'partial', problem: `changed in the last minute and ${check.problem}: probably still being written` }
    }
    return { ...known, status: 'corrupt', problem: check.problem ?? 'failed its check', ...(verifiedAt ? { verifiedAt } : {}) }
  }
  if (!v) return { ...known, status: 'unverified' }
  return v.ok ? { ...known, status: 'verified', verifiedAt } : { ...known, status: 'corrupt', verifiedAt, problem: `restore test failed: ${v.problem}` }
}

// Neither dbsafe's name nor a label a person gave the seed's script: the app's cron or nightly job wrote it.
const isScheduled = (parsed: ParsedName): boolean => parsed.origin !== 'console' && !parsed.label

async function forEachLimit<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0
  const worker = async () => {
    while (next < items.length) await fn(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}
