import { spawn } from 'node:child_process'
import { stat } from 'node:fs/promises'
import type { MigrateCommand } from '~server/config/schema'
import { RefusedError } from '~server/errors'
import { errorLineTracker } from './error-line'
import { lineSplitter } from './lines'
import { redactor } from './redact'

export interface OutputLine { stream: 'stdout' | 'stderr', text: string }

export interface MigrateCommandOptions {
  /** The child's whole environment (see commandEnvironment); secrets travel only here, never in argv. */
  env: Record<string, string>
  /** Values masked in every output line (passwords of the env file and of URLs). */
  secrets: string[]
  /** Run up to this migration id, passed through the command's upToArgs. */
  upTo?: string
  signal?: AbortSignal
  onLine: (line: OutputLine) => void
}

export interface MigrateCommandResult {
  /** null when the program could not start or was killed by a signal. */
  exitCode: number | null
  signal: string | null
  timedOut: boolean
  /** Why it failed, redacted: see errorLineTracker, or why it could not start. */
  lastErrorLine: string | null
  lines: number
}

export const LINE_MAX_CHARS = 4096
// SIGTERM first so the app's runner can close its connection; whatever ignores it is killed after this.
const KILL_GRACE_MS = 3000

/**
 * Runs the app's own migrate command: no shell, stdin closed, in its own process group so that a timeout or
 * an abort stops everything it started. Output is streamed line by line, redacted, to `onLine`.
 * Resolves once the command has ended, also when it could not be started; rejects only before starting it
 * (upTo without upToArgs, a signal already aborted).
 */
export async function runMigrateCommand(cmd: MigrateCommand, opts: MigrateCommandOptions): Promise<MigrateCommandResult> {
  const args = [...cmd.argv.slice(1), ...upToArguments(cmd, opts.upTo)]
  const redact = redactor(opts.secrets)
  const unusable = await unusableDirectory(cmd.cwd)
  if (unusable) return notStarted(redact(unusable))
  opts.signal?.throwIfAborted()

  return new Promise((resolve) => {
    const child = spawn(cmd.argv[0], args, { cwd: cmd.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
    const errorLine = errorLineTracker()
    let lines = 0
    let timedOut = false
    let settled = false
    let killTimer: NodeJS.Timeout | undefined

    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal)
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err
      }
    }
    const stop = () => {
      if (child.pid === undefined || killTimer) return
      signalGroup('SIGTERM')
      killTimer = setTimeout(() => {
        signalGroup('SIGKILL')
        // A process that left the group may still hold the pipes open; stop waiting for it.
        child.stdout.destroy()
        child.stderr.destroy()
      }, KILL_GRACE_MS)
    }
    const timer = setTimeout(() => {
      timedOut = true
      stop()
    }, cmd.timeoutMinutes * 60_000)
    opts.signal?.addEventListener('abort', stop, { once: true })
    const finish = (result: MigrateCommandResult) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      clearTimeout(killTimer)
      opts.signal?.removeEventListener('abort', stop)
      resolve(result)
    }

    // Cut only once a secret straddling the cut can be seen whole, so that no part of it is shown.
    const cutAt = LINE_MAX_CHARS + 1 + Math.max(0, ...opts.secrets.map((s) => s.length))
    for (const stream of ['stdout', 'stderr'] as const) {
      const splitter = lineSplitter(cutAt, (raw, cut) => {
        const redacted = redact(raw)
        // A whole line can arrive in one chunk and be long too.
        const text = cut || redacted.length > LINE_MAX_CHARS ? `${redacted.slice(0, LINE_MAX_CHARS)} … [line cut at ${LINE_MAX_CHARS} characters]` : redacted
        lines++
        errorLine.see(stream, text)
        opts.onLine({ stream, text })
      })
      child[stream].on('data', (chunk: Buffer) => splitter.write(chunk))
      child[stream].on('end', () => splitter.end())
    }
    // Whatever the command left running in its group would go on migrating after the run is reported and
    // its lock released.
    child.once('exit', stop)
    child.once('error', (err: NodeJS.ErrnoException) => finish(notStarted(redact(startFailure(cmd.argv[0], err)))))
    child.once('close', (exitCode, signal) => finish({ exitCode, signal, timedOut, lastErrorLine: errorLine.line, lines }))
  })
}

function upToArguments(cmd: MigrateCommand, upTo: string | undefined): string[] {
  if (upTo === undefined) return []
  if (!cmd.upToArgs) {
    throw new RefusedError('The migrate command cannot run up to a migration: its config has no upToArgs saying how to pass the id',
      { code: 'up-to-unsupported', status: 400 })
  }
  return cmd.upToArgs.map((arg) => arg.replaceAll('{id}', upTo))
}

// Checked first: spawn reports a missing cwd as the program being missing.
async function unusableDirectory(cwd: string): Promise<string | null> {
  try {
    return (await stat(cwd)).isDirectory() ? null : `cannot run the migrate command in ${cwd}: not a directory`
  } catch (err) {
    return `cannot run the migrate command in ${cwd}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (err as Error).message}`
  }
}

function startFailure(program: string, err: NodeJS.ErrnoException): string {
  const reason = err.code === 'ENOENT'
    ? 'no such program on the PATH given to the command'
    : err.code === 'EACCES'
      ? 'permission denied (not executable?)'
      : err.message
  return `cannot start the migrate command "${program}": ${reason}`
}

function notStarted(lastErrorLine: string): MigrateCommandResult {
  return { exitCode: null, signal: null, timedOut: false, lastErrorLine, lines: 0 }
}
