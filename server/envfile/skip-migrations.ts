import type { Warning } from '~contract/http'
import type { SkipMigrationsSource, SkipMigrationsState } from '~contract/targets'
import type { TargetConfig } from '../config/schema'
import { readPm2Env } from './pm2'
import type { ProcessEnv, ProcessEnvSetting } from './process-env'
import { readEnvFile, type EnvFile } from './read'
import { readSystemdEnv } from './systemd'

const KEY = 'SKIP_MIGRATIONS'
// Values a person reads as "on" that the app's strict `=== 'true'` check reads as "off".
const LOOKS_ON = new Set(['true', '1', 'yes', 'y', 'on', 'enabled'])

/** The target's SKIP_MIGRATIONS as its process sees it: its env file under the configured PM2 ecosystem and systemd unit. */
export function targetSkipMigrations(target: TargetConfig, env: EnvFile = readEnvFile(target.envFile)): SkipMigrationsState {
  return skipMigrationsState(env, [
    ...(target.systemdUnit ? [readSystemdEnv(target.systemdUnit)] : []),
    ...(target.pm2Ecosystem ? [readPm2Env(target.pm2Ecosystem)] : []),
  ])
}

/**
 * Judges SKIP_MIGRATIONS by the app's own rule, `process.env.SKIP_MIGRATIONS === 'true'` after dotenv.
 * A process manager's variables are in process.env before dotenv runs, and dotenv (without `override`)
 * leaves them alone: the last setting of systemd, then PM2 (whose env blocks override what its daemon
 * inherits), decides; only when neither sets it does the env file's last line.
 */
export function skipMigrationsState(env: EnvFile, managers: ProcessEnv[] = []): SkipMigrationsState {
  const occurrences = env.assignments.filter((a) => a.key === KEY).map(({ line, value }) => ({ line, value }))
  const managed = (['systemd', 'pm2'] as const).flatMap((kind) => managers.filter((m) => m.kind === kind))
    .flatMap((m) => m.settings.filter((s) => s.key === KEY || (s.key === null && !s.ignored)).map((s) => ({ kind: m.kind, s })))
  const winnerAt = managed.reduce((at, { s }, i) => (s.key === KEY && !s.ignored ? i : at), -1)
  const decided = winnerAt >= 0 ? managed[winnerAt] : null
  // Code after the decisive setting (or code that is the decisive setting) may change what the process sees.
  const unsure = managed.filter(({ s }, i) => i >= winnerAt && !s.ignored && s.value === null)

  const sources: SkipMigrationsSource[] = [
    ...managed.filter(({ s }, i) => s.key === KEY || i >= winnerAt).map(({ kind, s }) => managerSource(kind, s, decided?.s ?? null)),
    ...occurrences.map((o, i) => envFileSource(env.path, o, i === occurrences.length - 1, decided)),
  ]
  const winner = sources.find((s) => s.wins) ?? null
  const value = decided ? decided.s.value : (env.values[KEY] ?? null)
  const effective = value === 'true'
  const warnings: Warning[] = [...managers.flatMap((m) => m.warnings)]
  if (!env.exists) {
    warnings.push({ code: 'env-file-missing', message: `The env file ${env.path} does not exist${winner ? '.' : `: the app sees no ${KEY}, so pending migrations will run on its next start.`}` })
  }
  if (occurrences.length > 1) {
    const lines = occurrences.map((o) => `line ${o.line} = "${o.value}"`).join(', ')
    warnings.push({ code: 'duplicate-key', message: `${KEY} is set ${occurrences.length} times in the env file (${lines}); the last one wins. Remove the duplicates.` })
  }
  const envValue = occurrences.at(-1)?.value
  if (winner && winner.kind !== 'env-file' && value !== null && envValue !== undefined && envValue !== value) {
    warnings.push({ code: 'process-manager-overrides', message: `${KEY}=${value} in ${winner.file} line ${winner.line} overrides the env file's ${envValue}: the app ${effective ? 'will NOT run' : 'WILL run'} migrations on its next start.` })
  }
  for (const { s } of unsure) {
    warnings.push({ code: 'cannot-tell', message: `${s.file} line ${s.line} (${s.block}): ${s.note}. dbsafe cannot be sure whether the app runs migrations on its next start; it assumes it does.` })
  }
  if (value !== null && !effective && LOOKS_ON.has(value.trim().toLowerCase())) {
    warnings.push({ code: 'near-miss', message: `${KEY} is "${value}", which looks like on, but the app skips migrations only when the value is exactly "true" (lowercase, no spaces).` })
  }
  return { envFile: env.path, exists: env.exists, value, occurrences, effective, warnings, sources, winner, certain: unsure.length === 0 }
}

function managerSource(kind: 'pm2' | 'systemd', s: ProcessEnvSetting, decisive: ProcessEnvSetting | null): SkipMigrationsSource {
  const overridden = decisive && s !== decisive && s.key === KEY && !s.ignored ? `overridden by ${decisive.file} line ${decisive.line}` : undefined
  const note = [s.ignored && `ignored: ${s.ignored}`, overridden, s.note].filter(Boolean).join('; ')
  return { kind, file: s.file, line: s.line, value: s.value, wins: s === decisive, block: s.block, ...(note ? { note } : {}) }
}

function envFileSource(file: string, o: { line: number, value: string }, last: boolean, decided: { kind: string, s: ProcessEnvSetting } | null): SkipMigrationsSource {
  const note = decided
    ? `ignored: ${decided.kind} sets ${KEY} first (${decided.s.file} line ${decided.s.line}), and dotenv does not override a variable already set`
    : last ? undefined : 'a later line of the env file sets it again'
  return { kind: 'env-file', file, line: o.line, value: o.value, wins: !decided && last, ...(note ? { note } : {}) }
}
