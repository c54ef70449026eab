import { defineEventHandler } from 'h3'
import { readEnvFile } from '../../../envfile/read'
import { skipMigrationsState } from '../../../envfile/skip-migrations'
import { requireTarget } from '../../../http/target'

export default defineEventHandler(async (event) => skipMigrationsState(readEnvFile((await requireTarget(event)).envFile)))
