import { createError, defineEventHandler } from 'h3'
import { useConsole } from '~server/context'
import { jobIdParam } from '~server/http/params'
import { getJob } from '~server/jobs/store'

export default defineEventHandler(async (event) => {
  const id = jobIdParam(event)
  const job = await getJob((await useConsole()).db, id)
  if (!job) throw createError({ statusCode: 404, message: `No job ${id}` })
  return job
})
