import { createError, defineEventHandler } from 'h3'

export default defineEventHandler((event) => {
  throw createError({ statusCode: 404, message: `No API route ${event.method} ${event.path.split('?')[0]}` })
})
