import { createError, defineEventHandler, setHeader } from 'h3'
import { useStorage } from 'nitropack/runtime'

// SPA fallback: any non-API path without a file of its own is a client-side route, so it gets index.html.
export default defineEventHandler(async (event) => {
  const path = event.path.split('?')[0]
  if (/\.[a-z0-9]+$/i.test(path)) throw createError({ statusCode: 404, message: `Not found: ${path}` })
  const html = await useStorage('assets:spa').getItem<string>('index.html')
  if (!html) throw createError({ statusCode: 503, message: 'The SPA is not built; run npm run build' })
  setHeader(event, 'content-type', 'text/html; charset=utf-8')
  setHeader(event, 'cache-control', 'no-cache')
  return html
})
