// Backup shapes shared by the SPA and the API.
import { z } from 'zod'
import { confirmField } from './http'

/** pg_dump's archive formats (custom, directory, tar) and plain scripts, raw or compressed; decided by the file's bytes. */
export type BackupFormat = 'plain' | 'plain-gzip' | 'plain-zstd' | 'custom' | 'directory' | 'tar'

/**
 * verified: restore-tested into a scratch database and its tables and row counts matched;
 * unverified: the file reads back whole but was never restore-tested (or changed since);
 * corrupt: reading it back or restoring it failed (`problem` says why);
 * partial: a `.partial` file: being written by a running backup job (`jobId`), or left by a dump that did not finish.
 */
export type BackupStatus = 'verified' | 'unverified' | 'corrupt' | 'partial'
/** Reads back whole: restore-tested, or not yet. */
export const isUsable = (b: { status: BackupStatus }): boolean => b.status === 'verified' || b.status === 'unverified'
export const isVerified = (b: { status: BackupStatus }): boolean => b.status === 'verified'

export interface BackupTableCount { schema: string, name: string, rows: number }

/** The sidecar `<file>.manifest.json` the console writes next to each backup it takes. */
export interface BackupManifest {
  manifestVersion: 1
  target: string
  database: string
  format: BackupFormat
  file: string
  sizeBytes: number
  /** sha256 hex of the file; for a directory dump, of its `sha256sum`-style listing (sorted by file name). */
  sha256: string
  serverVersion: string
  serverVersionNum: number
  pgDumpVersion: string
  databaseSizeBytes: number
  /** Exact row counts, taken in the same snapshot pg_dump dumped. */
  tables: BackupTableCount[]
  /** ISO timestamp of the dump's start. */
  createdAt: string
  durationMs: number
  createdBy: string | null
  compress?: number
  /** What the person typed on "Back up now" (e.g. "before 2.4 deploy"). */
  label?: string
}

export interface BackupManifestSummary {
  serverVersion: string
  pgDumpVersion: string
  databaseSizeBytes: number
  durationMs: number
  tableCount: number
  totalRows: number
}

export interface BackupEntry {
  /** The file's base name: URL-safe, and only ever resolved inside the target's backups dir. */
  id: string
  file: string
  sizeBytes: number
  /** ISO; from the timestamp in the name when it has one, else the file's mtime. */
  createdAt: string
  modifiedAt: string
  format: BackupFormat
  status: BackupStatus
  sha256?: string
  verifiedAt?: string
  expiresAt: string
  expired: boolean
  createdBy?: string
  /** From the manifest, or a name like `db_backup_<label>_YYYYMMDD_HHMMSS`. */
  label?: string
  manifest?: BackupManifestSummary
  problem?: string
  /** A partial file a running backup job is writing: that job's id (the file is in progress, not left over). */
  jobId?: number
  /**
   * Written by the app's own scheduled job (cron, nightly script), not by dbsafe nor by a person: told by the
   * name, which is neither dbsafe's (`dbsafe_<target>_…`) nor labelled (`db_backup_<label>_…` is someone's run).
   */
  scheduled: boolean
}

/** One backup as the derived facts name it. */
export type BackupRef = Pick<BackupEntry, 'id' | 'status' | 'createdAt' | 'verifiedAt' | 'problem' | 'label'>

/** What pages and checks need to know about a target's backups, computed once on the server. */
export interface BackupFreshness {
  /** Backups listed, partial ones included. */
  count: number
  /** How old a backup may be and still count: the target's `checklists.backupMaxAgeHours`, default 24. */
  maxAgeHours: number
  /** The newest backup that is not partial, whatever its state (a corrupt one included). */
  newest: BackupRef | null
  /** The newest that reads back whole: verified or unverified. */
  newestUsable: BackupRef | null
  /** The newest restore-tested one. */
  newestVerified: BackupRef | null
  /** `newestUsable` is younger than `maxAgeHours`. */
  usableFresh: boolean
  /** `newestVerified` is younger than `maxAgeHours`: what the pre-deploy checklist asks for. */
  verifiedFresh: boolean
}

/**
 * Is the scheduled backup healthy: the app's own job (see `BackupEntry.scheduled`) wrote a file that reads back
 * within its interval. A manual backup does not count: it says nothing about tonight's job.
 */
export interface ScheduledBackupHealth {
  /** The target's `scheduledBackupIntervalHours`, default 24. */
  intervalHours: number
  /** The newest scheduled file that is not partial, whatever its state. */
  newest: BackupRef | null
  /** The newest scheduled file that reads back whole. */
  newestUsable: BackupRef | null
  healthy: boolean
  /** Why not, in a sentence; null when healthy. */
  warning: string | null
}

/** The backups verdict: "can we restore now" (`newestVerified`, `verifiedFresh`) and, apart, "is the scheduled backup healthy". */
export interface BackupsVerdict extends BackupFreshness { scheduled: ScheduledBackupHealth }

export interface VerifiedTable {
  schema: string
  name: string
  /** From the manifest, or the live database for backups without one; null when the table is not expected. */
  expectedRows: number | null
  /** null when the table is missing from the restored database. */
  restoredRows: number | null
}

export interface BackupVerification {
  id: string
  ok: boolean
  problem?: string
  /** What the restored tables were compared with. */
  comparedWith: 'manifest' | 'live' | 'none'
  /** Where the scratch database was created. */
  server: 'restore-test' | 'target'
  tables: VerifiedTable[]
  /** Differences that do not fail the test, e.g. row counts that moved on in the live database. */
  notes: string[]
  verifiedAt: string
  durationMs: number
  /**
   * Set when the file had already read back corrupt before this test (its integrity check or an earlier test failed):
   * a failed test of it is a finding about the file, not a failed console job.
   */
  alreadyCorrupt?: string
}

export interface RetentionPlan {
  keep: { id: string, reason: string }[]
  remove: { id: string, file: string, reason: string }[]
}

export const takeBackupSchema = z.strictObject({ confirm: confirmField.optional(), label: z.string().trim().max(200).optional() })
