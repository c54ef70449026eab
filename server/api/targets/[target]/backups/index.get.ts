import { defineEventHandler } from 'h3'
import { listBackups } from '../../../../backups/inventory'
import { useConsole } from '../../../../context'
import { requireTarget } from '../../../../http/target'
import { backupsCall } from '../../../../http/backups-call'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const { db } = await useConsole()
  return backupsCall(target, () => listBackups(db, target))
})
