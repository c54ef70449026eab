import { getRouterParams, type H3Event } from 'h3'
import { z } from 'zod'
import { validate } from './validate'

const jobParams = z.object({ job: z.coerce.number({ error: 'a job id (number)' }).int().positive() })

export const jobIdParam = (event: H3Event): number => validate(jobParams, getRouterParams(event), 'path').job
