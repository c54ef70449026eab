import { defineEventHandler } from 'h3'
import { useConsole } from '~server/context'
import { requireRole } from '~server/http/session'
import { listTokens } from '~server/tokens/store'

export default defineEventHandler(async (event) => {
  requireRole(event, 'admin')
  return listTokens((await useConsole()).db)
})
