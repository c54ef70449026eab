import { createError, defineEventHandler } from 'h3'
import { useConsole } from '../../../context'
import { jobIdParam } from '../../../http/params'
import { getJob } from '../../../jobs/store'

export default defineEventHandler(async (event) => {
  const id = jobIdParam(event)
  const job = await getJob((await useConsole()).db, id)
  if (!job) throw createError({ statusCode: 404, message: `No job ${id}` })
  return job
})
