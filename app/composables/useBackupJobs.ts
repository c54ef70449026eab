import { reactive, ref } from 'vue'
import { takeBackup, verifyBackup } from '../api/backups'
import { useAction } from './useAction'

export interface StartedJob { id: number, title: string }

/**
 * Taking a backup and restore-testing one, as the Backups page and the Deploy step both offer them:
 * each a guarded request with its busy and error state, and `job`, the job the last one started, to follow.
 */
export function useBackupJobs(target: () => string) {
  const job = ref<StartedJob | null>(null)
  const take = reactive(useAction(async (confirm: string, label?: string) => {
    const { jobId } = await takeBackup(target(), { confirm, label })
    job.value = { id: jobId, title: 'Backup' }
  }))
  const verify = reactive(useAction(async (id: string) => {
    const { jobId } = await verifyBackup(target(), id)
    job.value = { id: jobId, title: `Restore test of ${id}` }
  }))
  return { job, take, verify }
}
