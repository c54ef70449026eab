import type { Warning } from '~contract/http'
import type { SkipMigrationsState } from '~contract/targets'
import type { EnvFile } from './read'

const KEY = 'SKIP_MIGRATIONS'
// Values a person reads as "on" that the app's strict `=== 'true'` check reads as "off".
const LOOKS_ON = new Set(['true', '1', 'yes', 'y', 'on', 'enabled'])

/** Judges SKIP_MIGRATIONS by the app's own rule: `process.env.SKIP_MIGRATIONS === 'true'`. */
export function skipMigrationsState(env: EnvFile): SkipMigrationsState {
  const occurrences = env.assignments.filter((a) => a.key === KEY).map(({ line, value }) => ({ line, value }))
  const value = env.values[KEY] ?? null
  const effective = value === 'true'
  const warnings: Warning[] = []
  if (!env.exists) {
    warnings.push({ code: 'env-file-missing', message: `The env file ${env.path} does not exist: the app sees no ${KEY}, so pending migrations will run on its next start.` })
  }
  if (occurrences.length > 1) {
    const lines = occurrences.map((o) => `line ${o.line} = "${o.value}"`).join(', ')
    warnings.push({ code: 'duplicate-key', message: `${KEY} is set ${occurrences.length} times (${lines}); the last one wins. Remove the duplicates.` })
  }
  if (value !== null && !effective && LOOKS_ON.has(value.trim().toLowerCase())) {
    warnings.push({ code: 'near-miss', message: `${KEY} is "${value}", which looks like on, but the app skips migrations only when the value is exactly "true" (lowercase, no spaces).` })
  }
  return { envFile: env.path, exists: env.exists, value, occurrences, effective, warnings }
}
