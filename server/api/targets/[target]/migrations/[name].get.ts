import { createError, defineEventHandler } from 'h3'
import { decodedParam } from '~server/http/params'
import { requireTarget } from '~server/http/target'
import { migrationPool } from '~server/database/target-pool'
import { migrationDetail } from '~server/migrations/view'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const name = decodedParam(event, 'name')
  const detail = await migrationDetail(migrationPool(target), target, name)
  if (!detail) throw createError({ statusCode: 404, message: `No migration "${name}" in ${target.label}` })
  return detail
})
