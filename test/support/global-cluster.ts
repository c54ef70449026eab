// One throwaway cluster per test run: reuse the one scripts/with-cluster.ts started, or start our own.
import type { TestProject } from 'vitest/node'
import { startCluster } from '~scripts/pg-cluster'

declare module 'vitest' {
  export interface ProvidedContext { clusterUrl: string }
}

export default async function setup(project: TestProject) {
  const given = process.env.DBSAFE_TEST_CLUSTER_URL
  if (given) {
    project.provide('clusterUrl', given)
    return
  }
  const cluster = await startCluster()
  project.provide('clusterUrl', cluster.adminUrl)
  return () => cluster.stop()
}
