import { defineEventHandler, setResponseHeader } from 'h3'
import { useConsole } from '~server/context'
import { requireTarget } from '~server/http/target'
import { sharedVerdict } from '~server/targets/verdict'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const { value, computedAt } = await sharedVerdict((await useConsole()).db, target)
  setResponseHeader(event, 'x-computed-at', computedAt)
  return { ...value, computedAt }
})
