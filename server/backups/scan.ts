import type { Dirent } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { BackupFormat } from '~contract/backups'
import { claimedFormat, parseBackupName, type ParsedName } from './names'
import { sniffDump } from './sniff'
import type { Fingerprint } from './store'

export interface FoundBackup extends Fingerprint { id: string, parsed: ParsedName, format: BackupFormat }

/** Every backup directly in `dir` (already a real path). Symlinks and anything that is not a dump by its bytes are skipped. */
export async function scanBackupsDir(dir: string): Promise<FoundBackup[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const found = await Promise.all(entries.map((e) => identifyBackup(dir, e)))
  return found.filter((f) => f !== null)
}

/**
 * One entry of the backups dir as a backup, or null: a regular file or a directory (never a symlink)
 * whose bytes are a PostgreSQL dump, or a file whose name only a dump would carry (listed, then found corrupt).
 */
export async function identifyBackup(dir: string, e: Pick<Dirent, 'name' | 'isFile' | 'isDirectory'>): Promise<FoundBackup | null> {
  if (!e.isFile() && !e.isDirectory()) return null
  const parsed = parseBackupName(e.name)
  if (!parsed) return null
  const path = join(dir, e.name)
  const fingerprint = await fileFingerprint(path)
  const format = await sniffCached(fingerprint, e.isDirectory()) ?? (e.isFile() ? claimedFormat(e.name) : null)
  if (!format) return null
  return { id: e.name, parsed, format, ...fingerprint }
}

// What a file is cannot change while its size and mtime stay: a listing of 1,000 files re-reads none.
const sniffed = new Map<string, { sizeBytes: number, mtimeMs: number, format: BackupFormat | null }>()
const SNIFF_CACHE_MAX = 20_000

async function sniffCached(f: Fingerprint, isDirectory: boolean): Promise<BackupFormat | null> {
  const hit = sniffed.get(f.path)
  if (hit && hit.sizeBytes === f.sizeBytes && hit.mtimeMs === f.mtimeMs) return hit.format
  const format = await sniffDump(f.path, isDirectory)
  if (sniffed.size >= SNIFF_CACHE_MAX) sniffed.clear()
  sniffed.set(f.path, { sizeBytes: f.sizeBytes, mtimeMs: f.mtimeMs, format })
  return format
}

/** Size and mtime as the inventory sees them; restore tests are recorded against the same fingerprint. */
export async function fileFingerprint(path: string): Promise<Fingerprint> {
  const st = await stat(path)
  return { path, ...(st.isDirectory() ? await directorySize(path) : { sizeBytes: st.size, mtimeMs: st.mtimeMs }) }
}

// A directory's own mtime only changes when files come or go, so the newest file inside counts too.
async function directorySize(path: string): Promise<{ sizeBytes: number, mtimeMs: number }> {
  let sizeBytes = 0
  let mtimeMs = (await stat(path)).mtimeMs
  for (const e of await readdir(path, { withFileTypes: true })) {
    if (!e.isFile()) continue
    const st = await stat(join(path, e.name))
    sizeBytes += st.size
    mtimeMs = Math.max(mtimeMs, st.mtimeMs)
  }
  return { sizeBytes, mtimeMs }
}
