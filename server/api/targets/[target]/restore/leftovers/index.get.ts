import { defineEventHandler } from 'h3'
import { requireTarget } from '~server/http/target'
import { restoreLeftoversView } from '~server/restore/ready'

export default defineEventHandler(async (event) => restoreLeftoversView(await requireTarget(event)))
