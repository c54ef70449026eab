import { defineEventHandler, getQuery } from 'h3'
import { z } from 'zod'
import { useConsole } from '~server/context'
import { requireTarget } from '~server/http/target'
import { validate } from '~server/http/validate'
import { sizeHistory } from '~server/monitoring/samples'

const query = z.object({ days: z.coerce.number().int().min(1).max(365).default(30) })

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const { days } = validate(query, getQuery(event), 'query')
  return sizeHistory((await useConsole()).db, target.id, days)
})
