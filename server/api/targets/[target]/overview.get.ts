import { defineEventHandler } from 'h3'
import { useConsole } from '../../../context'
import { requireTarget } from '../../../http/target'
import { targetOverview } from '../../../targets/overview'

export default defineEventHandler(async (event) => targetOverview((await useConsole()).db, await requireTarget(event)))
