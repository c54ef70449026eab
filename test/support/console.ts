// Starts the built console (`.output/server/index.mjs`) as its own process, as `npm start` would.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '~scripts/pg-cluster'

const ENTRY = '.output/server/index.mjs'

export interface RunningConsole {
  url: string
  pid: number
  output: () => string
  stop: () => Promise<void>
  /** Kills the process outright, as a crash or an OOM kill would. */
  crash: () => Promise<void>
}

export function writeConfig(config: unknown): string {
  const file = join(mkdtempSync(join(tmpdir(), 'dbsafe-cfg-')), 'dbsafe.config.json')
  writeFileSync(file, typeof config === 'string' ? config : JSON.stringify(config))
  return file
}

/** Spawns the console and waits until it answers /api/health, or rejects with what it printed. */
export async function startConsoleProcess(env: Record<string, string>): Promise<RunningConsole> {
  if (!existsSync(ENTRY)) throw new Error(`${ENTRY} is missing: run npm run build before the integration tests`)
  const port = await freePort()
  const child = spawn(process.execPath, [ENTRY], { env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  child.stderr.on('data', (d) => { out += d })
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 20_000
  for (;;) {
    const done = await Promise.race([exited, new Promise((r) => setTimeout(r, 100, 'wait'))])
    if (done !== 'wait') throw new Error(`console exited with ${String(done)}: ${out}`)
    if (await fetch(`${url}/api/health`).then((r) => r.ok, () => false)) break
    if (Date.now() > deadline) { child.kill(); throw new Error(`console did not start: ${out}`) }
  }
  return {
    url,
    pid: child.pid!,
    output: () => out,
    stop: async () => { child.kill('SIGTERM'); await exited },
    crash: async () => { child.kill('SIGKILL'); await exited },
  }
}

/** Logs in to a running console and returns the session cookie header value. */
export async function loginCookie(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }), redirect: 'manual',
  })
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`)
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
}

/** Exit code and output of a console start that is expected to fail. */
export async function failedStart(env: Record<string, string>): Promise<{ code: number | null, output: string }> {
  const child = spawn(process.execPath, [ENTRY], { env: { ...process.env, PORT: String(await freePort()), ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (d) => { output += d })
  child.stderr.on('data', (d) => { output += d })
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  return { code, output }
}
