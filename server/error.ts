import type { NitroErrorHandler } from 'nitropack/types'

// Every error leaves as { statusCode, message, data? }: never a stack, never an HTML error page.
const errorHandler: NitroErrorHandler = (error, event) => {
  const statusCode = error.statusCode || 500
  if (statusCode >= 500) console.error(`[dbsafe] ${event.method} ${event.path}: ${error.message}`)
  const body = {
    statusCode,
    message: statusCode >= 500 ? 'Internal server error' : error.message,
    ...(error.data !== undefined && statusCode < 500 ? { data: error.data } : {}),
  }
  event.node.res.statusCode = statusCode
  event.node.res.setHeader('content-type', 'application/json')
  event.node.res.end(JSON.stringify(body))
}

export default errorHandler
