// Runs one command with a throwaway cluster whose superuser URL is in DBSAFE_TEST_CLUSTER_URL,
// so unit, integration and e2e suites share one cluster per test run. Usage: tsx scripts/with-cluster.ts -- cmd args…
import { spawn } from 'node:child_process'
import { startCluster } from './pg-cluster'

const args = process.argv.slice(process.argv.indexOf('--') + 1)
const cluster = await startCluster()
let exiting = false
const finish = (code: number) => {
  if (exiting) return
  exiting = true
  cluster.stop()
  process.exit(code)
}
const child = spawn(args[0], args.slice(1), {
  stdio: 'inherit',
  env: { ...process.env, DBSAFE_TEST_CLUSTER_URL: cluster.adminUrl },
})
child.on('exit', (code, signal) => finish(code ?? (signal ? 1 : 0)))
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => child.kill(sig))
