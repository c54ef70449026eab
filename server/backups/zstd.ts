import { Transform } from 'node:stream'
import { Decompress } from 'fzstd'

/**
 * A zstd decompressing stream (Node 20's zlib has none). A stream that ends mid-frame fails on flush,
 * as gunzip does, so a cut-off `.sql.zst` is reported, not half-read.
 */
export function createZstdDecompress(): Transform {
  const stream: Transform = new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        decompress.push(chunk)
        done()
      } catch (err) {
        done(zstdError(err))
      }
    },
    flush(done) {
      try {
        decompress.push(new Uint8Array(0), true)
        done()
      } catch (err) {
        done(zstdError(err))
      }
    },
  })
  const decompress = new Decompress((data) => { stream.push(Buffer.from(data)) })
  return stream
}

function zstdError(err: unknown): Error {
  return new Error(`the zstd stream is damaged or cut off (${(err as Error).message})`, { cause: err })
}
