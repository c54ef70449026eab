import { defineEventHandler } from 'h3'
import { useConsole } from '~server/context'
import { sharedVerdict } from '~server/targets/verdict'

// The home page: every target's verdict, evaluated side by side; a target that is down is listed with its reason.
export default defineEventHandler(async () => {
  const { db, targets } = await useConsole()
  return Promise.all(targets.map(async (t) => {
    const { value, computedAt } = await sharedVerdict(db, t)
    return { ...value, computedAt }
  }))
})
