// Throwaway PostgreSQL cluster: initdb into a temp dir, loopback only, free port, always torn down.
// Used by the demo, the test suites and the benchmarks; nothing relies on a server left running.
import { execFileSync, spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface Cluster {
  /** Superuser connection URL to the `postgres` database. */
  adminUrl: string
  /** URL of another database on the same cluster, as the superuser unless a user is given. */
  urlFor: (database: string, user?: string, password?: string) => string
  port: number
  binDir: string
  stop: () => void
}

export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql'
  const majors = existsSync(root) ? readdirSync(root).filter((d) => /^\d+$/.test(d)).map(Number) : []
  if (majors.length === 0) throw new Error(`No PostgreSQL server binaries under ${root}; run scripts/setup.sh`)
  return join(root, String(Math.max(...majors)), 'bin')
}

export async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      const port = typeof address === 'object' && address ? address.port : 0
      srv.close(() => resolve(port))
    })
  })
}

export async function startCluster(): Promise<Cluster> {
  const binDir = postgresBinDir()
  const dir = mkdtempSync(join(tmpdir(), 'dbsafe-pg-'))
  const dataDir = join(dir, 'data')
  const password = randomBytes(18).toString('base64url')
  const port = await freePort()
  // initdb refuses to run as root: hand the directory to the postgres user and run as it.
  const asRoot = process.getuid?.() === 0
  const run = (bin: string, args: string[]) => {
    const cmd = asRoot ? 'runuser' : join(binDir, bin)
    const argv = asRoot ? ['-u', 'postgres', '--', join(binDir, bin), ...args] : args
    const res = spawnSync(cmd, argv, { encoding: 'utf8' })
    if (res.status !== 0) throw new Error(`${bin} failed: ${res.stderr || res.stdout}`)
  }
  writeFileSync(join(dir, 'pwfile'), password + '\n', { mode: 0o600 })
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    chownSync(dir, uid, gid)
    chownSync(join(dir, 'pwfile'), uid, gid)
  }
  let started = false
  const stop = () => {
    if (started) {
      try { run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop']) } catch { /* already gone */ }
      started = false
    }
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    run('initdb', ['-D', dataDir, '-U', 'postgres', '--pwfile', join(dir, 'pwfile'), '--auth-host=scram-sha-256',
      '--auth-local=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'])
    const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dir} -c fsync=off -c max_connections=200 -c log_min_messages=warning`
    run('pg_ctl', ['-D', dataDir, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '60', 'start'])
    started = true
  } catch (err) {
    stop()
    throw err
  }
  const urlFor = (database: string, user = 'postgres', pw = password) =>
    `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(pw)}@127.0.0.1:${port}/${encodeURIComponent(database)}`
  return { adminUrl: urlFor('postgres'), urlFor, port, binDir, stop }
}

/** Parses a cluster admin URL handed down through the environment into the same helpers. */
export function clusterFromUrl(adminUrl: string): Omit<Cluster, 'stop'> {
  const u = new URL(adminUrl)
  const port = Number(u.port)
  const urlFor = (database: string, user = decodeURIComponent(u.username), pw = decodeURIComponent(u.password)) =>
    `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(pw)}@${u.hostname}:${port}/${encodeURIComponent(database)}`
  return { adminUrl, urlFor, port, binDir: postgresBinDir() }
}
