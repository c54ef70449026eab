import { defineEventHandler } from 'h3'
import { requireTarget } from '~server/http/target'
import { migrationPool } from '~server/database/target-pool'
import { migrationsView } from '~server/migrations/view'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return migrationsView(migrationPool(target), target)
})
