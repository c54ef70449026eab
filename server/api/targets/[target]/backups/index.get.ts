import { defineEventHandler } from 'h3'
import { listBackups } from '~server/backups/inventory'
import { useConsole } from '~server/context'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const { db } = await useConsole()
  return listBackups(db, target)
})
