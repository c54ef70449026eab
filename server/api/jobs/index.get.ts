import { defineEventHandler, getQuery } from 'h3'
import { z } from 'zod'
import { JOB_STATUSES } from '~contract/jobs'
import { useConsole } from '~server/context'
import { listJobs } from '~server/jobs/store'
import { validate } from '~server/http/validate'

// `kind` and `status` take one value or several, comma-separated (`status=queued,running`: what is still going).
const list = <T extends z.ZodType<unknown, string>>(item: T) => z.string().transform((s) => s.split(',')).pipe(z.array(item).min(1)).optional()
const query = z.object({
  target: z.string().optional(),
  kind: list(z.string().min(1)),
  status: list(z.enum(JOB_STATUSES)),
  limit: z.coerce.number().int().min(1).max(200).optional(),
})

export default defineEventHandler(async (event) => {
  const { kind, status, ...rest } = validate(query, getQuery(event), 'query')
  return listJobs((await useConsole()).db, { ...rest, kinds: kind, statuses: status })
})
