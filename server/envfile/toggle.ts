import { randomBytes } from 'node:crypto'
import { chownSync, constants, closeSync, copyFileSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { parse } from 'dotenv'
import type { TargetConfig } from '../config/schema'
import { RefusedError } from '../errors'
import { readEnvFile } from './read'
import { skipMigrationsState, targetSkipMigrations } from './skip-migrations'

export class EnvFileMissingError extends RefusedError {}

/** PM2 or systemd decides SKIP_MIGRATIONS: rewriting the env file would change nothing the app sees. */
export class SetByProcessManagerError extends RefusedError {}

// Keeps `export ` and an inline comment of the line it rewrites; only the value changes.
const ASSIGNMENT = /^(\s*(?:export\s+)?SKIP_MIGRATIONS\s*=\s*)(?:"[^"]*"|'[^']*'|[^\s#]*)([ \t]+#.*)?[ \t]*$/

/**
 * The toggle of a target: `setSkipMigrations` on its env file, refused when the setting that decides is
 * PM2's or systemd's, whose files dbsafe does not edit.
 */
export function setTargetSkipMigrations(target: TargetConfig, enabled: boolean, now = new Date()): { backup: string } {
  const { winner } = targetSkipMigrations(target)
  if (winner && winner.kind !== 'env-file') {
    const manager = winner.kind === 'pm2' ? 'PM2' : 'systemd'
    throw new SetByProcessManagerError(
      `SKIP_MIGRATIONS is decided by ${winner.file} line ${winner.line} (${manager} ${winner.block}), which the app gets before dotenv reads ${target.envFile}, so changing the env file would change nothing. `
      + `Change or remove SKIP_MIGRATIONS there and restart the app through ${manager}; dbsafe does not edit ${manager}'s files.`,
      { code: 'set-by-process-manager', data: { kind: winner.kind, file: winner.file, line: winner.line } },
    )
  }
  return setSkipMigrations(target.envFile, enabled, now)
}

/**
 * Rewrites the env file so the app's rule yields `enabled`: the first SKIP_MIGRATIONS line gets the
 * exact value, duplicates go, every other line and comment stays. Written atomically (temp file in the
 * same directory, fsync, rename) with the same mode and owner; the previous file is kept as
 * `<file>.bak-<timestamp>`. Returns the backup's path.
 */
export function setSkipMigrations(path: string, enabled: boolean, now = new Date()): { backup: string } {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new EnvFileMissingError(`The env file ${path} does not exist`)
    throw err
  }
  const newline = text.includes('\r\n') ? '\r\n' : '\n'
  const value = enabled ? 'true' : 'false'
  let written = false
  const lines = text.split(/\r?\n/).flatMap((line) => {
    if (!('SKIP_MIGRATIONS' in parse(line))) return [line]
    if (written) return []
    written = true
    const m = ASSIGNMENT.exec(line)
    return [m ? `${m[1]}${value}${m[2] ?? ''}` : `SKIP_MIGRATIONS=${value}`]
  })
  if (!written) {
    if (lines.at(-1) === '') lines.pop()
    lines.push(`SKIP_MIGRATIONS=${value}`, '')
  }
  const stat = statSync(path)
  const backup = keepCopy(path, `${path}.bak-${now.toISOString().replace(/[-:]/g, '')}`)
  atomicWrite(path, lines.join(newline), stat.mode & 0o7777, stat.uid, stat.gid)
  const after = skipMigrationsState(readEnvFile(path))
  if (after.effective !== enabled) throw new Error(`Rewrote ${path} but the app would still read SKIP_MIGRATIONS as ${JSON.stringify(after.value)}`)
  return { backup }
}

// Never overwrites an earlier backup, even for two toggles within the same millisecond.
function keepCopy(path: string, backup: string): string {
  try {
    copyFileSync(path, backup, constants.COPYFILE_EXCL)
    return backup
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    return keepCopy(path, `${backup}-${randomBytes(2).toString('hex')}`)
  }
}

function atomicWrite(path: string, content: string, mode: number, uid: number, gid: number) {
  const tmp = join(dirname(path), `.${basename(path)}.dbsafe-${randomBytes(4).toString('hex')}`)
  const fd = openSync(tmp, 'wx', mode)
  try {
    writeSync(fd, content)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  try {
    if (process.getuid?.() === 0) chownSync(tmp, uid, gid)
    renameSync(tmp, path)
  } catch (err) {
    rmSync(tmp, { force: true })
    throw err
  }
}
