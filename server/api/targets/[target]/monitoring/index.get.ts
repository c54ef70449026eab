import { defineEventHandler } from 'h3'
import { useConsole } from '~server/context'
import { requireTarget } from '~server/http/target'
import { recordSizeSample } from '~server/monitoring/samples'
import { monitoringSnapshot } from '~server/monitoring/snapshot'
import { targetPool } from '~server/database/target-pool'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const snapshot = await monitoringSnapshot(targetPool(target))
  await recordSizeSample((await useConsole()).db, target.id, snapshot.database.sizeBytes)
  return snapshot
})
