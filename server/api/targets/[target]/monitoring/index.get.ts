import { defineEventHandler } from 'h3'
import { useConsole } from '../../../../context'
import { requireTarget } from '../../../../http/target'
import { recordSizeSample } from '../../../../monitoring/samples'
import { monitoringSnapshot } from '../../../../monitoring/snapshot'
import { targetPool } from '../../../../database/target-pool'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const snapshot = await monitoringSnapshot(targetPool(target))
  await recordSizeSample((await useConsole()).db, target.id, snapshot.database.sizeBytes)
  return snapshot
})
