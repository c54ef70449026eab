import { defineEventHandler } from 'h3'
import { targetSkipMigrations } from '~server/envfile/skip-migrations'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => targetSkipMigrations(await requireTarget(event)))
