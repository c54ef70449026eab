import { defineEventHandler } from 'h3'
import { useConsole } from '~server/context'
import { sharedAnswer } from '~server/targets/shared-read'
import { requireTarget } from '~server/http/target'
import { targetOverview } from '~server/targets/overview'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const { db } = await useConsole()
  const { value, computedAt } = await sharedAnswer(event, target.id, 'overview', [], () => targetOverview(db, target))
  return { ...value, computedAt }
})
