// Nitro's node-server entry, with limits on slow clients: the preset builds its http.Server without options and
// never hands it out, so Node's defaults (60 s for headers, 5 min for a request) would let a client that
// sends a byte at a time hold a request open. DBSAFE_REQUEST_TIMEOUT_MS bounds receiving a whole request.
import { Server, type IncomingMessage, type ServerResponse } from 'node:http'
import { toNodeListener } from 'h3'
import { useNitroApp } from 'nitropack/runtime'
import { setupGracefulShutdown, trapUnhandledNodeErrors } from 'nitropack/runtime/internal/index'

const requestTimeout = Number(process.env.DBSAFE_REQUEST_TIMEOUT_MS) || 30_000
const handle = toNodeListener(useNitroApp().h3App)
const server = new Server({
  requestTimeout,
  headersTimeout: Math.min(10_000, requestTimeout),
  // How often Node looks for requests over those limits (default 30 s): a cut comes at most a second late.
  connectionsCheckingInterval: 1000,
}, (req: IncomingMessage, res: ServerResponse) => {
  // An absolute-form target (`GET http://host/api/x`, as sent to a proxy) would match no route rule or path
  // check: reduce it to the path every rule is written for.
  if (req.url && !req.url.startsWith('/')) req.url = originForm(req.url)
  return handle(req, res)
})

function originForm(url: string): string {
  try {
    const { pathname, search } = new URL(url)
    return pathname + search
  } catch {
    return '/'
  }
}

const port = Number(process.env.NITRO_PORT || process.env.PORT) || 3000
const host = process.env.NITRO_HOST || process.env.HOST || '127.0.0.1'
const listener = server.listen({ port, host }, () => {
  const address = listener.address()
  if (address && typeof address === 'object') console.log(`Listening on http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`)
})
trapUnhandledNodeErrors()
setupGracefulShutdown(listener, useNitroApp())
