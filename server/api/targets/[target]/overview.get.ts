import { defineEventHandler } from 'h3'
import { requireTarget } from '../../../http/target'
import { targetOverview } from '../../../targets/overview'

export default defineEventHandler(async (event) => targetOverview(await requireTarget(event)))
