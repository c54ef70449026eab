import { defineEventHandler } from 'h3'
import { listBackups } from '~server/backups/inventory'
import { useConsole } from '~server/context'
import { sharedAnswer } from '~server/targets/shared-read'
import { requireTarget } from '~server/http/target'

// A list: the time it was computed is in the X-Computed-At header only.
export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const { db } = await useConsole()
  return (await sharedAnswer(event, target.id, 'backups', [], () => listBackups(db, target))).value
})
