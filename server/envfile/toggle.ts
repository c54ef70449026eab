import { randomBytes } from 'node:crypto'
import { accessSync, closeSync, constants, fchmodSync, fchownSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { parse } from 'dotenv'
import type { TargetConfig } from '../config/schema'
import { RefusedError } from '../errors'
import { dotenvAssignments } from './dotenv-syntax'
import { targetSkipMigrations } from './skip-migrations'

export class EnvFileMissingError extends RefusedError {}

/** PM2 or systemd decides SKIP_MIGRATIONS: rewriting the env file would change nothing the app sees. */
export class SetByProcessManagerError extends RefusedError {}

const KEY = 'SKIP_MIGRATIONS'

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
 * Rewrites the env file so the app's rule yields `enabled`, or refuses (409, a code and the reason) with
 * nothing written. The file behind a symlink is rewritten, so the link stays; only the value of the
 * assignment dotenv reads last changes (see `withSkipMigrations`); the new file replaces the old one by
 * rename, with the same mode and owner, the previous bytes kept as `<file>.bak-<timestamp>` beside it.
 * Returns the backup's path.
 */
export function setSkipMigrations(path: string, enabled: boolean, now = new Date()): { backup: string } {
  const file = realFile(path)
  const stat = statSync(file)
  checkRewritable(file, stat)
  const before = readFileSync(file)
  const text = before.toString('utf8')
  if (!Buffer.from(text, 'utf8').equals(before)) refuse('not-utf8', `${file} is not valid UTF-8: rewriting it would change bytes other than SKIP_MIGRATIONS.`)
  const after = Buffer.from(withSkipMigrations(text, enabled), 'utf8')
  const backup = replaceFile(file, before, after, stat, `${file}.bak-${now.toISOString().replace(/[-:]/g, '')}`)
  syncDirectory(dirname(file))
  return { backup }
}

/**
 * The env file's text with SKIP_MIGRATIONS set to exactly `true` or `false`: the bytes between the quotes
 * (or of the unquoted value) of the last assignment, the one dotenv keeps, are replaced and nothing else;
 * earlier duplicates stay as they are (dotenv ignores them, the status page lists them). Without one, a
 * line is appended, ended as the file's last line is. The result is parsed again and refused unless the
 * app would read exactly the requested value and every other key as before.
 */
export function withSkipMigrations(text: string, enabled: boolean): string {
  const value = enabled ? 'true' : 'false'
  const winner = dotenvAssignments(text).filter((a) => a.key === KEY).at(-1)
  if (winner?.multiline) {
    refuse('multiline-value', `${KEY} on line ${winner.line} is a quoted value over several lines; dbsafe rewrites only a value on one line. Edit the env file by hand.`, { line: winner.line })
  }
  const next = winner ? text.slice(0, winner.innerStart) + value + text.slice(winner.innerEnd) : appended(text, `${KEY}=${value}`)
  if (!isDeepStrictEqual(parse(next), { ...parse(text), [KEY]: value })) {
    refuse('edit-not-verified', `Changing ${KEY}${winner ? ` on line ${winner.line}` : ''} would make dotenv read the env file differently (another value would change or ${KEY} would not be exactly "${value}"). Edit the env file by hand.`)
  }
  return next
}

function appended(text: string, line: string): string {
  const breaks = text.match(/\r\n|\r|\n/g)
  const newline = breaks?.at(-1) ?? '\n'
  return `${text}${text === '' || /[\r\n]$/.test(text) ? '' : newline}${line}${newline}`
}

function refuse(code: string, message: string, data?: Record<string, unknown>): never {
  throw new RefusedError(message, { code, data })
}

// The file a symlink names: replacing the link itself would leave the next release's link on the old value.
function realFile(path: string): string {
  try {
    return realpathSync(path)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new EnvFileMissingError(`The env file ${path} does not exist`, { code: 'env-file-missing' })
    throw err
  }
}

function checkRewritable(file: string, stat: Stats) {
  if (!stat.isFile()) refuse('not-a-file', `${file} is not a regular file; dbsafe rewrites only a regular env file.`)
  if (stat.nlink > 1) refuse('hard-linked', `${file} has ${stat.nlink} hard links: a rewritten file would leave the other names on the old value. Edit it by hand.`)
  // Root may write anything; a file nobody may write was made read-only on purpose.
  const mode = (stat.mode & 0o777).toString(8).padStart(4, '0')
  if ((stat.mode & 0o222) === 0) refuse('not-writable', `${file} is read-only (mode ${mode}): dbsafe does not override that. Make it writable to toggle SKIP_MIGRATIONS here.`)
  try {
    accessSync(file, constants.W_OK)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    const why = code === 'EPERM' ? 'it is immutable' : code === 'EROFS' ? 'it is on a read-only file system' : `the console's user may not write it (mode ${mode})`
    refuse('not-writable', `${file} cannot be rewritten: ${why}.`, { errno: code })
  }
}

/**
 * Temp file and backup are created exclusively under fresh names (never through a link), then the temp file
 * is renamed over the file. Any failure removes what was created, so a refusal leaves the directory as it was.
 */
function replaceFile(file: string, before: Buffer, after: Buffer, stat: Stats, backupName: string): string {
  const created: string[] = []
  try {
    const tmp = createFile(join(dirname(file), `.${basename(file)}.dbsafe-${randomBytes(6).toString('hex')}`), after, stat, created)
    const backup = createBackup(backupName, before, stat, created)
    if (!readFileSync(file).equals(before)) refuse('changed-meanwhile', `${file} changed while dbsafe was rewriting it; nothing was written. Try again.`)
    renameSync(tmp, file)
    return backup
  } catch (err) {
    for (const f of created) rmSync(f, { force: true })
    if (err instanceof RefusedError) throw err
    refuse('write-failed', `dbsafe could not replace ${file} (${(err as Error).message}); nothing was changed.`, { errno: (err as NodeJS.ErrnoException).code })
  }
}

// Never overwrites an earlier backup, even one made in the same millisecond.
function createBackup(path: string, content: Buffer, stat: Stats, created: string[]): string {
  try {
    return createFile(path, content, stat, created)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    return createBackup(`${path}-${randomBytes(2).toString('hex')}`, content, stat, created)
  }
}

// Opened exclusively (a name that exists, even as a link, fails) and private until it has the file's owner and mode.
function createFile(path: string, content: Buffer, stat: Stats, created: string[]): string {
  const fd = openSync(path, 'wx', 0o600)
  created.push(path)
  try {
    if (process.getuid?.() === 0) fchownSync(fd, stat.uid, stat.gid)
    fchmodSync(fd, stat.mode & 0o7777)
    writeFileSync(fd, content)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  return path
}

function syncDirectory(dir: string) {
  const fd = openSync(dir, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}
