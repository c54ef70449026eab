// PLACEHOLDER until the command branch lands.
import type { MigrateCommand } from '../../config/schema'

export interface CommandLine { stream: 'stdout' | 'stderr', text: string }
export interface CommandResult { exitCode: number | null, signal: string | null, timedOut: boolean, lastErrorLine: string | null, lines: number }
export async function runMigrateCommand(_cmd: MigrateCommand, _opts: { env: Record<string, string>, secrets: string[], upTo?: string, signal?: AbortSignal, onLine: (line: CommandLine) => void }): Promise<CommandResult> { throw new Error('not yet') }
export function commandEnvironment(_values: Record<string, string>, _cmd: MigrateCommand, _base?: NodeJS.ProcessEnv): Record<string, string> { throw new Error('not yet') }
