import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

export interface ToolExit { code: number | null, signal: NodeJS.Signals | null, stderr: string[] }
export interface StartedTool { child: ChildProcess, exited: Promise<ToolExit> }

export interface ToolOptions {
  env: NodeJS.ProcessEnv
  stdin?: 'pipe' | 'ignore'
  stdout?: 'pipe' | 'ignore'
  onStderrLine?: (line: string) => void
  signal?: AbortSignal
  /** Masked in every stderr line before it is kept or handed on. */
  secret?: string | null
}

const STDERR_KEPT = 30

/** Spawns with an argument array (no shell); stderr is read line by line, only its tail is kept. */
export function startTool(bin: string, args: string[], opts: ToolOptions): StartedTool {
  const child = spawn(bin, args, { env: opts.env, stdio: [opts.stdin ?? 'ignore', opts.stdout ?? 'ignore', 'pipe'], signal: opts.signal })
  const stderr: string[] = []
  const lines = createInterface({ input: child.stderr!, crlfDelay: Infinity })
  lines.on('line', (raw) => {
    const line = opts.secret ? raw.split(opts.secret).join('***') : raw
    stderr.push(line)
    if (stderr.length > STDERR_KEPT) stderr.shift()
    opts.onStderrLine?.(line)
  })
  const exited = new Promise<ToolExit>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', (code, signal) => resolve({ code, signal, stderr }))
  })
  return { child, exited }
}

/** Runs to the end, resolving with stdout discarded; rejects with the tool's own error lines. */
export async function runTool(name: string, bin: string, args: string[], opts: ToolOptions): Promise<void> {
  const exit = await startTool(bin, args, opts).exited
  if (exit.code !== 0) throw new ToolFailedError(name, exit)
}

export class ToolFailedError extends Error {
  constructor(readonly tool: string, readonly exit: ToolExit) {
    super(`${tool} failed (${exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`}): ${errorLines(exit.stderr)}`)
    this.name = 'ToolFailedError'
  }
}

// Verbose runs print many progress lines; the reason is in the ones that say error.
function errorLines(stderr: string[]): string {
  const errors = stderr.filter((l) => /\b(error|fatal|ERROR|FATAL)\b/.test(l))
  return (errors.length ? errors.slice(0, 3) : stderr.slice(-3)).join('; ') || 'no error output'
}
