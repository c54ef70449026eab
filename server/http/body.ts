import { createError, type H3Event } from 'h3'

/** JSON bodies are small: a few fields and a note. Routes that take more say so. */
export const DEFAULT_BODY_LIMIT = 16 * 1024

const tooLarge = (limit: number) => createError({ statusCode: 413, message: `Request body too large: at most ${limit / 1024} KB here` })

/**
 * The request body as text, refused with a 413 once it is over `limit` bytes: at once when Content-Length says
 * so, else as soon as the bytes read pass it. The rest is never read: the error handler closes the connection.
 */
export function readLimitedBody(event: H3Event, limit: number): Promise<string> {
  const req = event.node.req
  if (Number(req.headers['content-length']) > limit) return Promise.reject(tooLarge(limit))
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) return void chunks.push(chunk)
      req.off('data', onData).off('end', onEnd).pause()
      reject(tooLarge(limit))
    }
    const onEnd = () => resolve(Buffer.concat(chunks).toString('utf8'))
    req.on('data', onData).on('end', onEnd).once('error', reject)
  })
}

/** Whether part of the request body is still unread, so answering must close the connection rather than drain it. */
export function bodyLeftUnread(event: H3Event): boolean {
  const { headers, complete } = event.node.req
  return !complete && (Number(headers['content-length']) > 0 || headers['transfer-encoding'] !== undefined)
}
