import { defineEventHandler } from 'h3'
import { useConsole } from '~server/context'
import { requireTarget } from '~server/http/target'
import { latestRehearsalView } from '~server/migrations/rehearsal-latest'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return latestRehearsalView((await useConsole()).db, target)
})
