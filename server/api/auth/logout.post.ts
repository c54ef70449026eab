import { defineEventHandler } from 'h3'
import { logout } from '~server/http/session'

export default defineEventHandler(async (event) => {
  await logout(event)
  return { ok: true }
})
