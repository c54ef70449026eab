import { reactive, ref } from 'vue'
import { getRehearsal, rehearseMigrations } from '../api/migrations'
import { useAction } from './useAction'
import { useLoad } from './useLoad'

/** The target's latest rehearsal, and starting a new one: the job it started, to follow. */
export function useRehearsal(target: () => string) {
  const latest = reactive(useLoad(() => getRehearsal(target())))
  const jobId = ref<number | null>(null)
  /** From the start until its job ends: another click would only be refused as busy. */
  const running = ref(false)
  const start = reactive(useAction(async () => {
    jobId.value = (await rehearseMigrations(target())).jobId
    running.value = true
  }))
  function finished() {
    running.value = false
    void latest.load()
  }
  function reset() {
    latest.reset()
    jobId.value = null
    running.value = false
    start.error = null
  }
  return { latest, start, jobId, running, finished, reset }
}
