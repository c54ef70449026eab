import { createHash } from 'node:crypto'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface MigrationFile {
  /** File name without `.sql`. */
  name: string
  path: string
  sql: string
  /** sha256 hex of the file's bytes. */
  checksum: string
}

export interface Discovery {
  /** False when the migrations directory does not exist (files is then empty). */
  exists: boolean
  /** Ordered by numeric prefix, then name. */
  files: MigrationFile[]
  /** `.sql` files without a numeric prefix: never run, listed so a typo does not go unnoticed. */
  ignored: string[]
}

const PREFIX = /^(\d+)/

/** Reads the `*.sql` files of a migrations directory in the order they run. */
export async function discoverMigrations(dir: string): Promise<Discovery> {
  let entries: string[]
  try {
    entries = (await readdir(dir, { withFileTypes: true })).filter((e) => !e.isDirectory()).map((e) => e.name)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, files: [], ignored: [] }
    throw e
  }
  const sqlFiles = entries.filter((f) => f.endsWith('.sql'))
  const ignored = sqlFiles.filter((f) => !PREFIX.test(f)).sort()
  const ordered = sqlFiles.filter((f) => PREFIX.test(f)).sort(compareMigrationNames)
  const files = await Promise.all(ordered.map(async (file) => {
    const path = join(dir, file)
    const bytes = await readFile(path)
    return { name: file.slice(0, -'.sql'.length), path, sql: bytes.toString('utf8'), checksum: sha256(bytes) }
  }))
  return { exists: true, files, ignored }
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Run order: numeric prefix as a number (`2_a` before `10_b`), then name; names without a prefix last. */
export function compareMigrationNames(a: string, b: string): number {
  const na = prefixOf(a)
  const nb = prefixOf(b)
  if (na !== nb) {
    if (na === null) return 1
    if (nb === null) return -1
    return na < nb ? -1 : 1
  }
  return a < b ? -1 : a > b ? 1 : 0
}

// BigInt: a prefix longer than 15 digits (timestamp plus counter) would lose precision as a Number.
function prefixOf(name: string): bigint | null {
  const m = PREFIX.exec(name)
  return m ? BigInt(m[1]) : null
}
