import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(path), hash)
  return hash.digest('hex')
}

/** A directory dump's digest: sha256 of its `sha256sum`-style listing, files sorted by name. */
export async function sha256Directory(dir: string): Promise<{ sha256: string, sizeBytes: number }> {
  const files = (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name).sort()
  const listing = createHash('sha256')
  let sizeBytes = 0
  for (const name of files) {
    listing.update(`${await sha256File(join(dir, name))}  ${name}\n`)
    sizeBytes += (await stat(join(dir, name))).size
  }
  return { sha256: listing.digest('hex'), sizeBytes }
}
