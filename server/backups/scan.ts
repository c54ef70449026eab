import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { parseBackupName, type ParsedName } from './names'
import { exists } from './paths'
import type { Fingerprint } from './store'

export interface FoundBackup extends Fingerprint { id: string, parsed: ParsedName }

/** Every backup directly in `dir` (already a real path). Symlinks and files that are not backups by name are skipped. */
export async function scanBackupsDir(dir: string): Promise<FoundBackup[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const found = await Promise.all(entries.map(async (e): Promise<FoundBackup | null> => {
    if (!e.isFile() && !e.isDirectory()) return null
    const parsed = parseBackupName(e.name, e.isDirectory())
    if (!parsed) return null
    const path = join(dir, e.name)
    if (e.isDirectory() && !parsed.partial && !(await exists(join(path, 'toc.dat')))) return null
    return { id: e.name, parsed, ...(await fileFingerprint(path)) }
  }))
  return found.filter((f) => f !== null)
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
