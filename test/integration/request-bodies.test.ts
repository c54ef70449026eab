import { readFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { json } from '../support/http'
import { startConsoleFixture, type ConsoleFixture } from '../support/fixture'

const MB = 1024 * 1024
const REQUEST_TIMEOUT_MS = 2000

/** The console's resident memory, as the kernel counts it. */
const rssOf = (pid: number): number => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024

/**
 * Streams `size` bytes of body as fast as the socket takes them; settles when the console answers or drops the
 * connection, with how many bytes were written by then.
 */
function bigPost(url: string, path: string, size: number, opts: { chunked?: boolean, cookie?: string } = {}) {
  return new Promise<{ status: number | null, body: string, written: number, ms: number }>((resolve) => {
    const started = Date.now()
    const headers: Record<string, string | number> = { 'content-type': 'application/json', ...(opts.cookie ? { cookie: opts.cookie } : {}) }
    if (!opts.chunked) headers['content-length'] = size
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers })
    let written = 0
    let done = false
    const finish = (status: number | null, body = '') => {
      if (done) return
      done = true
      req.destroy()
      resolve({ status, body, written, ms: Date.now() - started })
    }
    req.on('response', (res) => {
      let body = ''
      res.on('data', (d) => { body += d })
      res.on('end', () => finish(res.statusCode ?? null, body))
      res.on('error', () => finish(res.statusCode ?? null, body))
    })
    req.on('error', () => finish(null))
    const chunk = Buffer.alloc(MB, 'a')
    const pump = () => {
      while (!done && written < size) {
        written += chunk.length
        if (!req.write(chunk)) return void req.once('drain', pump)
      }
      if (!done) req.end()
    }
    pump()
  })
}

describe('request bodies: limited per route, never read without a session, slow ones cut', () => {
  let c: ConsoleFixture
  let admin: string
  beforeAll(async () => {
    c = await startConsoleFixture({ env: { DBSAFE_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) } })
    admin = await c.login('admin', c.adminPassword)
  })
  afterAll(async () => { await c?.cleanup() })

  it('refuses 50 MB bodies without a session at once, and the console does not grow', async () => {
    const before = rssOf(c.pid)
    const answers = await Promise.all([
      bigPost(c.url, '/api/auth/login', 50 * MB),
      bigPost(c.url, '/api/auth/login', 50 * MB, { chunked: true }),
      bigPost(c.url, '/api/tokens', 50 * MB),
      bigPost(c.url, '/api/tokens', 50 * MB, { chunked: true }),
    ])
    const grown = rssOf(c.pid) - before
    for (const a of answers) {
      expect(a.ms).toBeLessThan(3000)
      // The answer, or the connection closed under a sender that would not stop: never a body read whole.
      if (a.status !== null) expect([401, 413]).toContain(a.status)
    }
    // The console stopped taking bytes long before 50 MB: what was written sat in socket buffers.
    for (const a of answers) expect(a.written).toBeLessThan(50 * MB)
    expect(grown).toBeLessThan(8 * MB)
    // Still answering.
    expect((await c.request('/api/health')).status).toBe(200)
  })

  it('answers an oversized JSON body from a logged-in admin with 413 naming the limit, before reading it', async () => {
    const res = await c.request('/api/tokens', { method: 'POST', cookie: admin, body: { name: 'x'.repeat(100_000) } })
    expect(res.status).toBe(413)
    expect(await json(res)).toEqual({ statusCode: 413, message: 'Request body too large: at most 16 KB here' })
    const streamed = await bigPost(c.url, '/api/tokens', 5 * MB, { chunked: true, cookie: admin })
    expect(streamed.status === null || streamed.status === 413).toBe(true)
    const audit = await json(await c.request('/api/audit?action=token.create', { cookie: admin }))
    expect(audit[0].outcome).toBe('refused 413: Request body too large: at most 16 KB here')
  })

  it('lets a route that needs more take more: a migration run with many acknowledgements', async () => {
    const acknowledge = Array.from({ length: 500 }, (_, i) => `${String(i).padStart(3, '0')}_some_long_migration_name_here:drop-column`)
    const body = { confirm: 'wrong', acknowledge }
    expect(JSON.stringify(body).length).toBeGreaterThan(16 * 1024)
    const res = await c.request('/api/targets/main/migrations/run', { method: 'POST', cookie: admin, body })
    expect(res.status).toBe(400)
    expect((await json(res)).message).toContain('confirm')
  })

  it('cuts a body sent a byte at a time once the request timeout passes', async () => {
    const socket = connect(Number(new URL(c.url).port), '127.0.0.1')
    let received = ''
    socket.on('data', (d) => { received += d })
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())))
    socket.on('error', () => {})
    const started = Date.now()
    socket.write('POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{')
    const drip = setInterval(() => socket.write(' '), 100)
    const at = await closed
    clearInterval(drip)
    expect(at - started).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100)
    expect(at - started).toBeLessThan(REQUEST_TIMEOUT_MS + 2500)
    expect(received).toMatch(/^HTTP\/1\.1 408/)
  })

  it('cuts headers sent a line at a time', async () => {
    const socket = connect(Number(new URL(c.url).port), '127.0.0.1')
    const closed = new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now())))
    socket.on('error', () => {})
    const started = Date.now()
    socket.write('GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    let n = 0
    const drip = setInterval(() => socket.write(`X-Slow-${n++}: y\r\n`), 100)
    const at = await closed
    clearInterval(drip)
    expect(at - started).toBeLessThan(REQUEST_TIMEOUT_MS + 2500)
  })
})
