import { createError, defineEventHandler, getHeader, getRequestURL } from 'h3'
import { useConsole } from '../context'
import { forwardedHeaders } from '../http/proxies'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

// CSRF defence in depth beside SameSite=Strict: a state-changing request from another origin is refused.
// Scripts (curl, CI) send no Origin and pass; browsers always send it on cross-origin requests.
export default defineEventHandler(async (event) => {
  if (SAFE_METHODS.has(event.method)) return
  const origin = getHeader(event, 'origin')
  const own = getRequestURL(event, forwardedHeaders(event, (await useConsole()).trustedProxies)).origin
  if ((origin && origin !== own) || getHeader(event, 'sec-fetch-site') === 'cross-site') {
    throw createError({ statusCode: 403, message: 'Cross-origin request refused' })
  }
})
