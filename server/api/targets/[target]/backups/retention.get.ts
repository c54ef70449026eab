import { defineEventHandler } from 'h3'
import { retentionPlan } from '../../../../backups/retention'
import { useConsole } from '../../../../context'
import { requireTarget } from '../../../../http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const { db } = await useConsole()
  return retentionPlan(db, target, { retentionDays: target.retentionDays, keepMin: target.backupKeepMin })
})
