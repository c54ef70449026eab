import { defineEventHandler } from 'h3'
import { useConsole } from '~server/context'
import { requireTarget } from '~server/http/target'
import { runPreconditions } from '~server/migrations/run-preconditions'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return runPreconditions((await useConsole()).db, target)
})
