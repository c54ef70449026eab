import { defineEventHandler } from 'h3'
import { retentionPlan } from '~server/backups/retention'
import { useConsole } from '~server/context'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const { db } = await useConsole()
  return retentionPlan(db, target, { retentionDays: target.retentionDays, keepMin: target.backupKeepMin })
})
