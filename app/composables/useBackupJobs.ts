import { reactive, ref } from 'vue'
import { takeBackup, verifyBackup } from '../api/backups'
import { runningJobOf } from '../api/jobs'
import { useAction } from './useAction'

/** `alreadyRunning`: the server refused as busy and named the job already doing it, which is followed instead. */
export interface StartedJob { id: number, title: string, alreadyRunning?: boolean }

/**
 * Taking a backup and restore-testing one, as the Backups page and the Deploy step both offer them:
 * each a guarded request with its busy and error state, and `job`, the job the last one started, to follow (or, when
 * a backup was already running, that backup's job).
 */
export function useBackupJobs(target: () => string) {
  const job = ref<StartedJob | null>(null)
  const take = reactive(useAction(async (confirm: string, label?: string) => {
    try {
      const { jobId } = await takeBackup(target(), { confirm, label })
      job.value = { id: jobId, title: 'Backup' }
    } catch (err) {
      const running = runningJobOf(err)
      if (running === null) throw err
      job.value = { id: running, title: 'Backup', alreadyRunning: true }
    }
  }))
  const verify = reactive(useAction(async (id: string) => {
    const { jobId } = await verifyBackup(target(), id)
    job.value = { id: jobId, title: `Restore test of ${id}` }
  }))
  return { job, take, verify }
}
