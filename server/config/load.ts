import { readFileSync } from 'node:fs'
import { dirname, isAbsolute, resolve } from 'node:path'
import { configSchema, type Config } from './schema'

export class ConfigError extends Error {}

/**
 * Reads and validates the config file. Relative paths inside it are resolved against the file's own
 * directory, so a config can be moved with its env file, migrations and backups.
 */
export function loadConfig(file: string, env: NodeJS.ProcessEnv = process.env): Config & { file: string, consoleDatabaseUrl: string, sessionSecretFile: string } {
  const path = resolve(file)
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message
    throw new ConfigError(`Config ${path}: ${reason}`)
  }
  const parsed = configSchema.safeParse(raw)
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  at ${formatPath(i.path)}: ${i.message}`)
    throw new ConfigError(`Config ${path} is invalid:\n${lines.join('\n')}`)
  }
  const consoleDatabaseUrl = env.DBSAFE_DATABASE_URL || parsed.data.consoleDatabaseUrl
  if (!consoleDatabaseUrl) {
    throw new ConfigError(`Config ${path}: no console database; set DBSAFE_DATABASE_URL or "consoleDatabaseUrl"`)
  }
  const base = dirname(path)
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p))
  const targets = parsed.data.targets.map((t) => ({
    ...t, envFile: abs(t.envFile), migrationsDir: abs(t.migrationsDir), backupsDir: abs(t.backupsDir),
  }))
  const sessionSecretFile = env.DBSAFE_SESSION_SECRET_FILE
    ? resolve(env.DBSAFE_SESSION_SECRET_FILE)
    : abs(parsed.data.sessionSecretFile ?? '.dbsafe-session-secret')
  return { ...parsed.data, targets, consoleDatabaseUrl, sessionSecretFile, file: path }
}

export function formatPath(path: PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '')
}
