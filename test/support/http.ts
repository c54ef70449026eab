import { request as httpRequest } from 'node:http'
/** Response bodies in tests are checked by assertions, not by the type system. */
export const json = (res: Response): Promise<any> => res.json()

/**
 * A request sent from a chosen loopback address (any of 127.0.0.0/8 on Linux), so a test can play several
 * clients, or a reverse proxy, against one console. fetch cannot pick its source address.
 */
export function requestFrom(localAddress: string, url: string, init: { method?: string, body?: unknown, headers?: Record<string, string> } = {}): Promise<Response> {
  const body = init.body === undefined ? undefined : JSON.stringify(init.body)
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, {
      method: init.method ?? 'GET', localAddress, agent: false,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('error', reject)
      res.on('end', () => {
        const headers = new Headers()
        for (const [name, value] of Object.entries(res.headers)) {
          for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) headers.append(name, v)
        }
        resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers }))
      })
    })
    req.on('error', reject)
    req.end(body)
  })
}
