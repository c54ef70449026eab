import { createHash } from 'node:crypto'
import { constants } from 'node:fs'
import { open, readdir } from 'node:fs/promises'
import { basename, dirname, extname, join, posix } from 'node:path'
import picomatch from 'picomatch'
import type { IgnoredMigrationFile } from '~contract/migrations'
import { isMigrationModule } from './modules/files'

export type MigrationKind = 'sql' | 'module'

export interface MigrationFile {
  /**
   * The migration's name: its path under the migrations directory without the extension (`003_posts`,
   * `billing/004_invoices`), or the folder of a nested `<name>/migration.sql` / `<name>/up.sql` (Prisma and others).
   */
  name: string
  /** Path relative to the migrations directory, with `/` separators. */
  relPath: string
  path: string
  kind: MigrationKind
  /** The file's bytes as UTF-8 text: SQL, or a JS/TS module's source. */
  text: string
  /** sha256 hex of the file's bytes. */
  checksum: string
}

export interface Discovery {
  /** False when the migrations directory does not exist (files is then empty). */
  exists: boolean
  /** Ordered by numeric prefix, then name. */
  files: MigrationFile[]
  /** Files that look like migrations but never run, with the reason, so a typo or a template does not go unnoticed. */
  ignored: IgnoredMigrationFile[]
}

export interface DiscoverOptions {
  /** Globs relative to the directory (`migrationsIgnore`): templates, examples, archived folders, the runner. */
  ignore?: string[]
  /** Whether JS/TS modules are migrations (an app tracker) or only `.sql` files (dbsafe runs SQL, nothing else). */
  modules?: boolean
}

const PREFIX = /^(\d+)/
// Folders no migration lives in; descending into them would only cost time (node_modules) or read junk.
const SKIPPED_DIRS = new Set(['node_modules', 'meta'])
const NESTED_FILES = new Set(['migration.sql', 'up.sql'])
const MAX_DEPTH = 4

/** Reads the migration files under a directory, recursively where tools nest them, in the order they run. */
export async function discoverMigrations(dir: string, opts: DiscoverOptions = {}): Promise<Discovery> {
  let relPaths: Listed[]
  try {
    relPaths = await listFiles(dir, '', 0)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { exists: false, files: [], ignored: [] }
    throw e
  }
  const ignoredByGlob = opts.ignore?.length ? picomatch(opts.ignore, { dot: true }) : () => false
  const candidates: { relPath: string, name: string, kind: MigrationKind }[] = []
  const ignored: IgnoredMigrationFile[] = []
  for (const { relPath, symlink } of relPaths) {
    const kind = kindOf(relPath)
    if (!kind) continue
    if (ignoredByGlob(relPath)) ignored.push({ path: relPath, reason: 'migrationsIgnore' })
    // Never read: what it points at (any file the console can read) would be shown to viewers and run.
    else if (symlink) ignored.push({ path: relPath, reason: 'symlink' })
    else if (kind === 'module' && !opts.modules) ignored.push({ path: relPath, reason: 'module' })
    else {
      const name = migrationName(relPath)
      if (name === null) ignored.push({ path: relPath, reason: 'no-prefix' })
      else candidates.push({ relPath, name, kind })
    }
  }
  candidates.sort((a, b) => compareMigrationNames(a.name, b.name))
  const files = await Promise.all(candidates.map(async ({ relPath, name, kind }) => {
    const path = join(dir, relPath)
    const bytes = await readNoFollow(path)
    return { name, relPath, path, kind, text: bytes.toString('utf8'), checksum: sha256(bytes) }
  }))
  return { exists: true, files, ignored: ignored.sort((a, b) => (a.path < b.path ? -1 : 1)) }
}

interface Listed { relPath: string, symlink: boolean }

async function listFiles(root: string, rel: string, depth: number): Promise<Listed[]> {
  const entries = await readdir(join(root, rel), { withFileTypes: true })
  const out: Listed[] = []
  for (const e of entries) {
    const relPath = rel ? posix.join(rel, e.name) : e.name
    if (e.isDirectory()) {
      if (depth < MAX_DEPTH && !e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name)) out.push(...await listFiles(root, relPath, depth + 1))
    } else if (e.isFile() || e.isSymbolicLink()) out.push({ relPath, symlink: e.isSymbolicLink() })
  }
  return out
}

// A file swapped for a symlink after it was listed fails to open (ELOOP) rather than being followed.
async function readNoFollow(path: string): Promise<Buffer> {
  const fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW)
  try {
    return await fh.readFile()
  } finally {
    await fh.close()
  }
}

function kindOf(relPath: string): MigrationKind | null {
  if (relPath.endsWith('.sql')) return 'sql'
  return isMigrationModule(relPath) ? 'module' : null
}

/** `003_posts.sql` → `003_posts`; `20240101_init/migration.sql` → `20240101_init`; null when nothing carries a prefix. */
function migrationName(relPath: string): string | null {
  const file = basename(relPath)
  if (NESTED_FILES.has(file)) {
    const folder = dirname(relPath)
    return folder !== '.' && PREFIX.test(basename(folder)) ? folder : null
  }
  if (!PREFIX.test(file)) return null
  // `1_init.down.sql` is the undo half of `1_init.up.sql` (golang-migrate): not a migration of its own.
  if (/\.down\.sql$/.test(file) || file === 'down.sql') return null
  return relPath.slice(0, -extname(relPath).length)
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Run order: numeric prefix of the last path segment as a number (`2_a` before `10_b`), then name; names without a prefix last. */
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
  const m = PREFIX.exec(basename(name))
  return m ? BigInt(m[1]) : null
}
