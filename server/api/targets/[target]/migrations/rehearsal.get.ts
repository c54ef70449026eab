import { defineEventHandler } from 'h3'
import { useConsole } from '../../../../context'
import { requireTarget } from '../../../../http/target'
import { latestRehearsalView } from '../../../../migrations/rehearsal-latest'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return latestRehearsalView((await useConsole()).db, target)
})
