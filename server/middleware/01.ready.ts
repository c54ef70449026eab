import { defineEventHandler } from 'h3'
import { useConsole } from '../context'

// Requests that arrive while the console database is still being migrated wait for it.
export default defineEventHandler(async () => {
  await useConsole()
})
