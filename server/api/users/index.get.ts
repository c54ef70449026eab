import { defineEventHandler } from 'h3'
import { listUsers } from '../../auth/users'
import { useConsole } from '../../context'
import { requireRole } from '../../http/session'

export default defineEventHandler(async (event) => {
  requireRole(event, 'admin')
  return listUsers((await useConsole()).db)
})
