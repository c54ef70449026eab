import type pg from 'pg'
import { isUsable } from '~contract/backups'
import type { RehearsalBackup } from '~contract/rehearsal'
import { sha256Directory, sha256File } from '../backups/hash'
import { listBackups } from '../backups/inventory'
import { newestUsableBackup, newestVerifiedBackup } from '../backups/newest'
import { fileFingerprint } from '../backups/scan'
import type { TargetConfig } from '../config/schema'
import { RefusedError } from '../errors'

export type RehearsalRefusal = 'app-tracker' | 'no-migrations-dir' | 'drift' | 'nothing-pending' | 'no-usable-backup'

/** The rehearsal cannot start: no backup to rehearse on, or nothing to rehearse. Nothing was restored. */
export class RehearsalRefusedError extends RefusedError {
  constructor(message: string, code: RehearsalRefusal) {
    super(message, { code })
    this.name = 'RehearsalRefusedError'
  }
}

export interface ChosenBackup { path: string, backup: RehearsalBackup }

/**
 * The backup to rehearse on: `id` when given, else the newest that passed its restore test, else the
 * newest that reads back whole. Its sha256 is what the rehearsal restores: the manifest's, proven by the
 * inventory's check, or computed here for files without one.
 */
export async function chooseBackup(consoleDb: pg.Pool, target: TargetConfig, id?: string): Promise<ChosenBackup> {
  const all = await listBackups(consoleDb, target)
  const entry = id !== undefined ? all.find((b) => b.id === id && isUsable(b)) : newestVerifiedBackup(all) ?? newestUsableBackup(all)
  if (!entry) {
    const seen = all.length ? `${all.length} backup(s), none usable: ${all.slice(0, 3).map((b) => `${b.id} is ${b.status}`).join(', ')}` : 'no backups'
    throw new RehearsalRefusedError(id !== undefined
      ? `Backup "${id}" of "${target.id}" is not a usable backup (verified or unverified)`
      : `Nothing to rehearse on: the backups dir of "${target.id}" holds ${seen}. Take a backup first.`, 'no-usable-backup')
  }
  const { mtimeMs } = await fileFingerprint(entry.file)
  const sha256 = entry.sha256 ?? (entry.format === 'directory' ? (await sha256Directory(entry.file)).sha256 : await sha256File(entry.file))
  return {
    path: entry.file,
    backup: {
      id: entry.id, createdAt: entry.createdAt, status: entry.status as RehearsalBackup['status'], format: entry.format,
      sizeBytes: entry.sizeBytes, mtimeMs, sha256, ...(entry.label ? { label: entry.label } : {}),
    },
  }
}
