import { access, lstat, realpath } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { TargetConfig } from '../config/schema'
import { RefusedError } from '../errors'
import { isBackupId } from './names'
import { identifyBackup } from './scan'

export class BackupsDirMissingError extends RefusedError {}

/** A backup file with another name elsewhere: its bytes are any file on that filesystem someone linked in, not a dump. */
export class HardLinkedBackupError extends RefusedError {
  constructor(id: string, links: number) {
    super(`"${id}" is hard-linked (${links} names for the same file): it may be any file of that filesystem linked into the backups dir, `
      + 'so the console does not serve, verify or restore it. Copy it to a file of its own if it is a real dump.', { code: 'hard-linked', data: { links } })
  }
}

/** The backups dir with symlinks resolved; throws with a plain reason when it is missing. */
export async function backupsDirReal(target: TargetConfig): Promise<string> {
  try {
    return await realpath(target.backupsDir)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BackupsDirMissingError(`The backups dir ${target.backupsDir} of "${target.id}" does not exist`)
    throw err
  }
}

/**
 * The absolute path of backup `id` in the target's backups dir, or null. Refuses anything that is
 * not a backup by its bytes, any path (traversal, absolute, NUL), any symlink, and anything whose real
 * path is not directly inside the backups dir. Partial files only with `allowPartial`. A hard-linked file
 * throws HardLinkedBackupError, unless `allowLinked` (removing a name removes only that name).
 */
export async function resolveBackup(target: TargetConfig, id: string, opts: { allowPartial?: boolean, allowLinked?: boolean } = {}): Promise<string | null> {
  if (!isBackupId(id)) return null
  let dir: string
  try { dir = await realpath(target.backupsDir) } catch { return null }
  const path = join(dir, id)
  const st = await lstat(path).catch(() => null)
  if (!st || st.isSymbolicLink()) return null
  if (st.isFile() && st.nlink > 1 && !opts.allowLinked) throw new HardLinkedBackupError(id, st.nlink)
  const found = await identifyBackup(dir, { name: id, isFile: () => st.isFile(), isDirectory: () => st.isDirectory() })
  if (!found || (found.parsed.partial && !opts.allowPartial)) return null
  const real = await realpath(path).catch(() => null)
  return real && dirname(real) === dir ? real : null
}

export async function exists(path: string): Promise<boolean> {
  return access(path).then(() => true, () => false)
}
