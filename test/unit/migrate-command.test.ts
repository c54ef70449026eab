import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import type { MigrateCommand } from '~server/config/schema'
import { RefusedError } from '~server/errors'
import { commandEnvironment } from '~server/migrations/command/environment'
import { runMigrateCommand, type MigrateCommandOptions, type OutputLine } from '~server/migrations/command/run'

const SECRET = 'hunter2-S3cret!'
const NODE = process.execPath

const command = (script: string, over: Partial<MigrateCommand> = {}): MigrateCommand =>
  ({ argv: [NODE, '-e', script], cwd: tmpdir(), timeoutMinutes: 1, ...over })

async function run(cmd: MigrateCommand, over: Partial<MigrateCommandOptions> = {}) {
  const lines: OutputLine[] = []
  const result = await runMigrateCommand(cmd, {
    env: commandEnvironment({ DB_PASSWORD: SECRET }, cmd), secrets: [SECRET], ...over,
    onLine: (l) => {
      lines.push(l)
      over.onLine?.(l)
    },
  })
  const of = (stream: OutputLine['stream']) => lines.filter((l) => l.stream === stream).map((l) => l.text)
  return { ...result, all: lines.map((l) => l.text), out: of('stdout'), err: of('stderr') }
}

// Gone, or a zombie waiting for a parent that is no longer ours to reap it: either way no longer running.
// A killed process takes a moment to go on a loaded machine: wait for it, never for long.
const expectGone = (pid: number) => vi.waitFor(() => expect(running(pid)).toBe(false), { timeout: 5000, interval: 50 })

function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) [ZX]/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

// Starts a grandchild in the command's process group that would run for a minute, and prints its pid.
const GRANDCHILD = `const g = require('node:child_process').spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'inherit' });
  console.log('grandchild ' + g.pid);`

describe('running the app\'s migrate command', () => {
  it('streams stdout and stderr line by line, each in order, and returns the exit code', async () => {
    const r = await run(command(`for (let i = 1; i <= 20; i++) { console.log('out ' + i); console.error('err ' + i) }
      process.exitCode = 3`))
    const numbered = (name: string) => Array.from({ length: 20 }, (_, i) => `${name} ${i + 1}`)
    expect(r.out).toEqual(numbered('out'))
    expect(r.err).toEqual(numbered('err'))
    expect(r).toMatchObject({ exitCode: 3, signal: null, timedOut: false, lines: 40, lastErrorLine: 'err 20' })
  })

  it('reports success with no error line when the command says nothing is wrong', async () => {
    const r = await run(command(`console.log('Running migration 004_x…'); console.log('✓ 004_x')`))
    expect(r).toMatchObject({ exitCode: 0, signal: null, lastErrorLine: null, out: ['Running migration 004_x…', '✓ 004_x'] })
  })

  it('names the reason, not the stack or package-manager trailer, as the error line', async () => {
    const r = await run(command(`console.log('Running migration 023_tags…')
      console.error('error: could not create unique index "events_slug_key"')
      console.error('    at Client.query (/app/node_modules/pg/lib/client.js:526:17)')
      console.error('Node.js v20.20.2')
      console.error(' ELIFECYCLE  Command failed with exit code 1.')
      process.exitCode = 1`))
    expect(r.lastErrorLine).toBe('error: could not create unique index "events_slug_key"')
  })

  it('takes the error line from stdout when the command writes nothing to stderr', async () => {
    const r = await run(command(`console.log('Running migration 023_tags…'); console.log('Migration 023_tags failed: relation "tags" does not exist')
      console.log('1 migration applied'); process.exitCode = 1`))
    expect(r.lastErrorLine).toBe('Migration 023_tags failed: relation "tags" does not exist')
  })

  it('joins chunks, splits \\r\\n and \\r progress lines, decodes UTF-8 split across chunks and replaces invalid bytes', async () => {
    const r = await run(command(`const w = (b) => new Promise((res) => process.stdout.write(b, () => setTimeout(res, 20)));
      (async () => {
        await w('Applyi'); await w('ng 004\\r\\nprogress 10%\\r'); await w('progress 50%\\rprogress 100%\\r'); await w('\\ndone\\n')
        await w(Buffer.from([0x61, 0xff, 0x62, 0x0a, 0xc3])); await w(Buffer.from([0xa9, 0x74, 0xc3, 0xa9, 0x0a])); await w('last, no newline')
      })()`))
    expect(r.out).toEqual(['Applying 004', 'progress 10%', 'progress 50%', 'progress 100%', 'done', 'a\uFFFDb', 'été', 'last, no newline'])
  })

  it('cuts a very long line at 4 KB with a marker, masking a secret that straddles the cut', async () => {
    const r = await run(command(`process.stdout.write('x'.repeat(10000) + '\\nnext\\n' + 'y'.repeat(4090) + process.env.DB_PASSWORD + 'z'.repeat(6000) + '\\n')`))
    expect(r.out).toHaveLength(3)
    expect(r.out[0]).toMatch(/^x{4096}\D.*cut/)
    expect(r.out[1]).toBe('next')
    expect(r.out[2].startsWith(`${'y'.repeat(4090)}***zzz`)).toBe(true)
    expect(r.out[2]).not.toMatch(/z{4}/)
  })

  it('redacts secrets on both streams, also when a secret arrives in two chunks, and the password of any database URL', async () => {
    const r = await run(command(`const p = process.env.DB_PASSWORD;
      process.stdout.write('connecting with ' + p.slice(0, 5)); setTimeout(() => {
        process.stdout.write(p.slice(5) + ' now\\n'); console.error('auth failed for ' + p)
        console.log('url postgres://app:other-pass@db:5432/app?x=1'); console.log('abcdef postgresql://u:p@ss@h/db')
      }, 50)`), { secrets: [SECRET, 'abc'] })
    expect(r.out).toEqual(['connecting with *** now', 'url postgres://app:***@db:5432/app?x=1', 'abcdef postgresql://u:***@h/db'])
    expect(r.err).toEqual(['auth failed for ***'])
  })

  it('passes secrets only in the environment, never in the child\'s argv', async () => {
    const r = await run(command(`const fs = require('node:fs');
      console.log('cmdline ' + JSON.stringify(fs.readFileSync('/proc/self/cmdline', 'utf8').split('\\0')))
      console.log('password sha256 ' + require('node:crypto').createHash('sha256').update(process.env.DB_PASSWORD).digest('hex'))`))
    expect(JSON.parse(r.out[0].slice('cmdline '.length)).slice(0, 2)).toEqual([NODE, '-e'])
    expect(r.out[0]).not.toContain(SECRET)
    expect(r.out[1]).toBe(`password sha256 ${createHash('sha256').update(SECRET).digest('hex')}`)
  })

  it('gives the child exactly the built environment, with SKIP_MIGRATIONS false whatever the env file or config say', async () => {
    const cmd = command('console.log(JSON.stringify(process.env))', { env: { SKIP_MIGRATIONS: 'true', APP_MODE: 'migrate' } })
    const env = commandEnvironment({ DB_HOST: 'db', DB_PASSWORD: SECRET, SKIP_MIGRATIONS: 'true' }, cmd,
      { PATH: '/usr/bin:/bin', HOME: '/home/dbsafe', LANG: 'C.UTF-8', DBSAFE_CONSOLE_URL: 'postgres://console:pw@h/c', NODE_OPTIONS: '--inspect' })
    expect(env).toEqual({
      PATH: '/usr/bin:/bin', HOME: '/home/dbsafe', LANG: 'C.UTF-8', DB_HOST: 'db', DB_PASSWORD: SECRET, SKIP_MIGRATIONS: 'false', APP_MODE: 'migrate',
    })
    const r = await run(cmd, { env })
    expect(JSON.parse(r.out[0])).toEqual({ ...env, DB_PASSWORD: '***' })
  })

  it('appends upToArgs with {id} replaced when running up to a migration', async () => {
    const cmd = command('console.log(JSON.stringify(process.argv.slice(1)))', { upToArgs: ['--to', '{id}', '--note=up-to-{id}'] })
    cmd.argv.push('--')
    const r = await run(cmd, { upTo: '003_event_tags' })
    expect(JSON.parse(r.out[0])).toEqual(['--to', '003_event_tags', '--note=up-to-003_event_tags'])
  })

  it('refuses to run up to a migration without upToArgs, starting nothing', async () => {
    const marker = join(mkdtempSync(join(tmpdir(), 'upto-')), 'ran')
    const cmd = command(`require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`)
    await expect(run(cmd, { upTo: '003_event_tags' })).rejects.toThrow(RefusedError)
    await expect(run(cmd, { upTo: '003_event_tags' })).rejects.toThrow(/upToArgs/)
    expect(existsSync(marker)).toBe(false)
  })

  it('resolves a missing program or working directory as a failure that says so', async () => {
    const missing = await run(command('', { argv: ['dbsafe-no-such-migrate-program', 'db:migrate'] }))
    expect(missing).toMatchObject({ exitCode: null, signal: null, timedOut: false, lines: 0 })
    expect(missing.lastErrorLine).toMatch(/"dbsafe-no-such-migrate-program".*no such program/)
    const badCwd = await run(command('console.log(1)', { cwd: '/nonexistent/app' }))
    expect(badCwd).toMatchObject({ exitCode: null, lines: 0 })
    expect(badCwd.lastErrorLine).toMatch(/\/nonexistent\/app: no such directory/)
  })

  it('on timeout kills the whole process group, grandchildren included', async () => {
    const started = Date.now()
    const r = await run(command(`${GRANDCHILD} setInterval(() => {}, 1000)`, { timeoutMinutes: 0.01 }))
    const grandchild = Number(r.out[0].split(' ')[1])
    expect(r).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGTERM' })
    expect(Date.now() - started).toBeLessThan(3000)
    await expectGone(grandchild)
  })

  it('kills a command that ignores SIGTERM after the grace period', async () => {
    const r = await run(command(`process.on('SIGTERM', () => console.log('ignoring SIGTERM')); setInterval(() => {}, 1000)`,
      { timeoutMinutes: 0.005 }))
    expect(r).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGKILL', out: ['ignoring SIGTERM'] })
  }, 10_000)

  it('stops what the command left running once it has exited, so nothing migrates after the run is reported', async () => {
    const r = await run(command(`${GRANDCHILD} setTimeout(() => process.exit(0), 100)`))
    expect(r).toMatchObject({ exitCode: 0, timedOut: false })
    await expectGone(Number(r.out[0].split(' ')[1]))
  })

  it('stops the command when the signal aborts, and starts nothing when it already has', async () => {
    const controller = new AbortController()
    const r = await run(command(`${GRANDCHILD} console.log('ready'); setInterval(() => {}, 1000)`), {
      signal: controller.signal, onLine: (l) => l.text === 'ready' && controller.abort(),
    })
    expect(r).toMatchObject({ timedOut: false, exitCode: null, signal: 'SIGTERM' })
    await expectGone(Number(r.out[0].split(' ')[1]))
    await expect(run(command('console.log(1)'), { signal: controller.signal })).rejects.toThrow(/abort/i)
  })
})
