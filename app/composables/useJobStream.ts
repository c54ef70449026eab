import { onBeforeUnmount, ref, watch, type Ref } from 'vue'
import { isFinalJob, type Job, type JobLogLine } from '~contract/jobs'
import { jobEventsUrl } from '../api/jobs'

/** Follows a job over server-sent events: its state and its log, until it finishes. */
export function useJobStream(jobId: Ref<number | null>) {
  const job = ref<Job | null>(null)
  const log = ref<JobLogLine[]>([])
  let source: EventSource | null = null
  const close = () => { source?.close(); source = null }

  watch(jobId, (id) => {
    close()
    job.value = null
    log.value = []
    if (id === null) return
    source = new EventSource(jobEventsUrl(id))
    source.addEventListener('job', (e) => {
      job.value = JSON.parse((e as MessageEvent).data)
      if (job.value && isFinalJob(job.value.status)) close()
    })
    source.addEventListener('log', (e) => { log.value = [...log.value, ...JSON.parse((e as MessageEvent).data)] })
    // The server ends the stream when the job finishes; EventSource would reconnect, so stop it here.
    source.onerror = () => { if (!job.value || isFinalJob(job.value.status)) close() }
  }, { immediate: true })
  onBeforeUnmount(close)
  return { job, log }
}
