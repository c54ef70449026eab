import { defineEventHandler } from 'h3'
import { readEnvFile } from '~server/envfile/read'
import { skipMigrationsState } from '~server/envfile/skip-migrations'
import { requireTarget } from '~server/http/target'

export default defineEventHandler(async (event) => skipMigrationsState(readEnvFile((await requireTarget(event)).envFile)))
