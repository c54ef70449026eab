import type { NitroErrorHandler } from 'nitropack/types'
import { bodyLeftUnread } from './http/body'
import { toHttpError } from './http/errors'
import { requestTarget } from './http/target'

// Every error leaves as { statusCode, message, data? }: never a stack, never an HTML error page. Only the
// unexpected (500) is hidden: a 503 says which target cannot be reached and why.
const errorHandler: NitroErrorHandler = (error, event) => {
  const { statusCode, message, data } = toHttpError(error, requestTarget(event))
  if (statusCode >= 500) console.error(`[dbsafe] ${event.method} ${event.path}: ${message}`)
  const body = {
    statusCode,
    message: statusCode === 500 ? 'Internal server error' : message,
    ...(data !== undefined && statusCode !== 500 ? { data } : {}),
  }
  event.node.res.statusCode = statusCode
  event.node.res.setHeader('content-type', 'application/json')
  // Refused before its body was read (no session, too large, …): close rather than drain what is still coming.
  if (bodyLeftUnread(event)) event.node.res.setHeader('connection', 'close')
  event.node.res.end(JSON.stringify(body))
}

export default errorHandler
