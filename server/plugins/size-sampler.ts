import { defineNitroPlugin } from 'nitropack/runtime'
import { useConsole } from '../context'
import { sampleAllTargets } from '../monitoring/sampler'

const EVERY_MS = 15 * 60_000
const FIRST_AFTER_MS = 60_000

// Database size history keeps growing while nobody has the monitoring page open.
export default defineNitroPlugin((nitroApp) => {
  const tick = async () => {
    try {
      const { db, targets } = await useConsole()
      await sampleAllTargets(db, targets)
    } catch {
      // Not started yet, or the console database is down: the next tick tries again.
    }
  }
  const first = setTimeout(tick, FIRST_AFTER_MS)
  const timer = setInterval(tick, EVERY_MS)
  first.unref()
  timer.unref()
  nitroApp.hooks.hook('close', () => {
    clearTimeout(first)
    clearInterval(timer)
  })
})
