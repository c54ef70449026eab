import { defineEventHandler } from 'h3'
import { sharedAnswer } from '~server/targets/shared-read'
import { requireTarget } from '~server/http/target'
import { migrationPool } from '~server/database/target-pool'
import { migrationsView } from '~server/migrations/view'

export default defineEventHandler(async (event) => {
  const target = await requireTarget(event)
  const { value, computedAt } = await sharedAnswer(event, target.id, 'migrations', [], () => migrationsView(migrationPool(target), target))
  return { ...value, computedAt }
})
