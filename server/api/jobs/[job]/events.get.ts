import { createError, createEventStream, defineEventHandler } from 'h3'
import { useConsole } from '~server/context'
import { jobIdParam } from '~server/http/params'
import { getJob } from '~server/jobs/store'
import { watchJob } from '~server/jobs/watch'

// Server-sent events: `job` events carry the job (status, progress), `log` events new log lines.
export default defineEventHandler(async (event) => {
  const id = jobIdParam(event)
  const { db } = await useConsole()
  if (!(await getJob(db, id))) throw createError({ statusCode: 404, message: `No job ${id}` })
  const stream = createEventStream(event)
  const abort = new AbortController()
  stream.onClosed(() => abort.abort())
  void watchJob(db, id, (e) => stream.push({ event: e.type, data: JSON.stringify(e.type === 'job' ? e.job : e.lines) }), abort.signal)
    .catch(() => {})
    .finally(() => stream.close())
  return stream.send()
})
