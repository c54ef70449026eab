// The e2e world is the demo's: a seeded staging and production on a throwaway cluster, and the built console.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createDemoEnvironment } from '~scripts/demo/environment'
import { clusterFromUrl, freePort, startCluster } from '~scripts/pg-cluster'

export default async function globalSetup() {
  const given = process.env.DBSAFE_TEST_CLUSTER_URL
  const own = given ? null : await startCluster()
  const cluster = own ?? clusterFromUrl(given!)
  const workDir = mkdtempSync(join(tmpdir(), 'dbsafe-e2e-'))
  const demo = await createDemoEnvironment(cluster, workDir, 'e2e_')
  const port = await freePort()
  const server = spawn(process.execPath, ['.output/server/index.mjs'], {
    env: { ...process.env, DBSAFE_CONFIG: demo.configPath, DBSAFE_ADMIN_PASSWORD: demo.adminPassword, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  const baseURL = `http://127.0.0.1:${port}`
  for (let i = 0; i < 200 && !(await fetch(`${baseURL}/api/health`).then((r) => r.ok, () => false)); i++) {
    await new Promise((r) => setTimeout(r, 100))
  }
  process.env.E2E_BASE_URL = baseURL
  process.env.E2E_ADMIN_PASSWORD = demo.adminPassword
  process.env.E2E_PRODUCTION_ENV = demo.targets.production.envFile
  process.env.E2E_STAGING_ENV = demo.targets.staging.envFile
  // For specs that build catalog state the demo does not have (13: thousands of tables), as a superuser.
  process.env.E2E_PRODUCTION_SUPERUSER_URL = cluster.urlFor(demo.targets.production.database)
  return async () => {
    server.kill('SIGTERM')
    await new Promise((r) => server.once('exit', r))
    rmSync(workDir, { recursive: true, force: true })
    own?.stop()
  }
}
