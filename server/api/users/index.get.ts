import { defineEventHandler } from 'h3'
import { listUsers } from '~server/auth/users'
import { useConsole } from '~server/context'
import { requireRole } from '~server/http/session'

export default defineEventHandler(async (event) => {
  requireRole(event, 'admin')
  return listUsers((await useConsole()).db)
})
