import { defineEventHandler } from 'h3'
import { session } from '~server/http/session'

export default defineEventHandler(async (event) => {
  await (await session(event)).clear()
  return { ok: true }
})
