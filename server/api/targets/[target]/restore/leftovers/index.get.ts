import { defineEventHandler } from 'h3'
import { requireTarget } from '../../../../../http/target'
import { restoreLeftoversView } from '../../../../../restore/ready'

export default defineEventHandler(async (event) => restoreLeftoversView(await requireTarget(event)))
