import { computed, reactive, ref } from 'vue'
import type { BackupEntry } from '~contract/backups'
import { listLeftovers } from '../api/restore'
import { useLoad } from './useLoad'

export interface RestoreJob { id: number, title: string, kind: 'restore' | 'other' }

/**
 * The Backups page's emergency restore: the leftovers (and whether restore is set up at all), the backup the
 * dialog is open for, the job to follow, and why "Restore into …" is disabled for this person right now.
 */
export function useRestore(target: () => string, isAdmin: () => boolean) {
  const leftovers = reactive(useLoad(() => listLeftovers(target()), { keep: true }))
  const choosing = ref<BackupEntry | null>(null)
  const job = ref<RestoreJob | null>(null)
  const running = ref(false)
  const blocked = computed(() => {
    if (!isAdmin()) return 'Only an admin can restore a backup into the live database'
    const view = leftovers.data
    if (view && !view.available) return `Emergency restore is not available: ${view.reason}`
    if (running.value || view?.busy) return 'A restore, undo or drop is running'
    return null
  })
  function follow(id: number, title: string, kind: RestoreJob['kind'] = 'other') {
    choosing.value = null
    job.value = { id, title, kind }
    running.value = true
  }
  function reset() {
    leftovers.reset()
    choosing.value = null
    job.value = null
    running.value = false
  }
  return { leftovers, choosing, job, running, blocked, follow, reset }
}
