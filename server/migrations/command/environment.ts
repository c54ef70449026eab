import type { MigrateCommand } from '~server/config/schema'

// Only what a program needs to be found and to print text; everything else of the console's own
// environment (its database URL, session secret) stays out of the app's command.
const INHERITED = ['PATH', 'HOME', 'LANG'] as const

/**
 * The migrate command's whole environment: PATH, HOME and LANG from the console, then the app's env file,
 * then the command's own `env`, and SKIP_MIGRATIONS=false last so that nothing can turn it back on.
 */
export function commandEnvironment(
  envFileValues: Record<string, string>, cmd: Pick<MigrateCommand, 'env'>, base: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const inherited = INHERITED.flatMap((key) => (base[key] === undefined ? [] : [[key, base[key]] as const]))
  return { ...Object.fromEntries(inherited), ...envFileValues, ...cmd.env, SKIP_MIGRATIONS: 'false' }
}
