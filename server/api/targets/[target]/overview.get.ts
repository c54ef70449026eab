import { defineEventHandler } from 'h3'
import { useConsole } from '~server/context'
import { requireTarget } from '~server/http/target'
import { targetOverview } from '~server/targets/overview'

export default defineEventHandler(async (event) => targetOverview((await useConsole()).db, await requireTarget(event)))
