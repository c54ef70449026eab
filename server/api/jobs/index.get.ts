import { defineEventHandler, getQuery } from 'h3'
import { z } from 'zod'
import { useConsole } from '~server/context'
import { listJobs } from '~server/jobs/store'
import { validate } from '~server/http/validate'

const query = z.object({ target: z.string().optional(), kind: z.string().optional(), limit: z.coerce.number().int().min(1).max(200).optional() })

export default defineEventHandler(async (event) => listJobs((await useConsole()).db, validate(query, getQuery(event), 'query')))
