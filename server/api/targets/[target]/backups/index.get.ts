import { defineEventHandler } from 'h3'
import { listBackups } from '../../../../backups/inventory'
import { useConsole } from '../../../../context'
import { requireTarget } from '../../../../http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const { db } = await useConsole()
  return listBackups(db, target)
})
