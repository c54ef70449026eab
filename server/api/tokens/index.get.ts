import { defineEventHandler } from 'h3'
import { useConsole } from '../../context'
import { requireRole } from '../../http/session'
import { listTokens } from '../../tokens/store'

export default defineEventHandler(async (event) => {
  requireRole(event, 'admin')
  return listTokens((await useConsole()).db)
})
