// `npm run demo` (after scripts/demo.sh has installed and built): a throwaway cluster seeded like the seed
// document's production, the console on it, and everything gone again on Ctrl-C.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDemoEnvironment } from './demo/environment'
import { freePort, startCluster } from './pg-cluster'

const dev = process.argv.includes('--dev')
const cluster = await startCluster()
const workDir = mkdtempSync(join(tmpdir(), 'dbsafe-demo-'))
const children: ChildProcess[] = []
let stopping = false
function stop(code = 0) {
  if (stopping) return
  stopping = true
  for (const c of children) c.kill('SIGTERM')
  cluster.stop()
  rmSync(workDir, { recursive: true, force: true })
  process.exit(code)
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))

try {
  const demo = await createDemoEnvironment(cluster, workDir)
  const port = Number(process.env.PORT ?? 3000)
  const env = { ...process.env, DBSAFE_CONFIG: demo.configPath, DBSAFE_ADMIN_PASSWORD: demo.adminPassword, HOST: '127.0.0.1' }
  if (dev) {
    const apiPort = await freePort()
    children.push(spawn('npx', ['nitro', 'dev', '--port', String(apiPort)], { stdio: 'inherit', env: { ...env, PORT: String(apiPort) } }))
    children.push(spawn('npx', ['vite'], { stdio: 'inherit', env: { ...env, VITE_PORT: String(port), DBSAFE_API_URL: `http://127.0.0.1:${apiPort}` } }))
  } else {
    children.push(spawn(process.execPath, ['.output/server/index.mjs'], { stdio: 'inherit', env: { ...env, PORT: String(port) } }))
  }
  for (const c of children) c.on('exit', (code) => { if (!stopping) stop(code ?? 1) })
  console.log(`
  dbsafe demo${dev ? ' (dev, hot reload)' : ''} is starting on http://127.0.0.1:${port}
  Log in as admin with password: ${demo.adminPassword}
  Targets: staging (least-privilege app role) and production (app role owns tables; SKIP_MIGRATIONS near miss)
  Press Ctrl-C to stop; the cluster and ${workDir} are removed.
`)
} catch (err) {
  console.error(`demo failed: ${(err as Error).message}`)
  stop(1)
}
