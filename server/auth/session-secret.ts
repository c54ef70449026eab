import { randomBytes } from 'node:crypto'
import { closeSync, linkSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs'
import { ConfigError } from '../config/load'

// The key that seals session cookies lives outside the console database, so a copy of that database
// (a dump, a replica, a read-only login) cannot mint a session.
const MIN_LENGTH = 32

/** DBSAFE_SESSION_SECRET, else the secret file, which the first start creates with mode 0600. */
export function loadSessionSecret(env: NodeJS.ProcessEnv, file: string): string {
  if (env.DBSAFE_SESSION_SECRET) return checked(env.DBSAFE_SESSION_SECRET, 'DBSAFE_SESSION_SECRET')
  try {
    if (!exists(file)) createOnce(file)
    const mode = statSync(file).mode & 0o777
    if (mode & 0o077) throw new ConfigError(`Session secret file ${file} is readable by others (mode ${mode.toString(8)}); chmod 600 it`)
    return checked(readFileSync(file, 'utf8').trim(), `Session secret file ${file}`)
  } catch (err) {
    if (err instanceof ConfigError) throw err
    throw new ConfigError(`Session secret file ${file}: ${(err as Error).message}`)
  }
}

function checked(secret: string, source: string): string {
  if (secret.length < MIN_LENGTH) throw new ConfigError(`${source}: the session secret must be at least ${MIN_LENGTH} characters`)
  return secret
}

// Written under a random name and linked into place, so a second console starting at the same moment
// either wins the link or reads the complete file the first one linked, never a half-written one.
function createOnce(file: string): void {
  const temp = `${file}.${randomBytes(8).toString('hex')}.tmp`
  const fd = openSync(temp, 'wx', 0o600)
  try {
    writeSync(fd, `${randomBytes(32).toString('base64url')}\n`)
  } finally {
    closeSync(fd)
  }
  try {
    linkSync(temp, file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
  } finally {
    unlinkSync(temp)
  }
}

function exists(file: string): boolean {
  try {
    statSync(file)
    return true
  } catch {
    return false
  }
}
