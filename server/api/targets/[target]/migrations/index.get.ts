import { defineEventHandler } from 'h3'
import { requireTarget } from '../../../../http/target'
import { migrationPool } from '../../../../database/target-pool'
import { migrationsView } from '../../../../migrations/view'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  return migrationsView(migrationPool(target), target)
})
