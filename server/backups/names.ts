import type { BackupFormat } from '../../contract/backups'

export interface ParsedName {
  format: BackupFormat
  /** A `.partial` name: a dump still being written, or one that never finished. */
  partial: boolean
  /** From the timestamp in the name (UTC); null when the name has none or it is not a real date. */
  createdAt: Date | null
  origin: 'seed' | 'console' | 'other'
  target?: string
}

// Ids are base names: URL-safe, never a path (no "/", no NUL), never "." or "..".
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,250}$/
const SEED = /^db_backup_(\d{8})_(\d{6})\.sql(\.gz)?$/
const CONSOLE = /^dbsafe_([a-z0-9][a-z0-9-]{0,62})_(\d{8})T(\d{6})Z(\.dump|\.sql|\.sql\.gz)?$/
const PARTIAL = '.partial'
const MANIFEST = '.manifest.json'

export function isBackupId(id: unknown): id is string {
  return typeof id === 'string' && ID.test(id) && !id.includes('..')
}

/**
 * What a name in the backups dir is, or null when it is not a backup (manifests and anything else).
 * Directories qualify by name here; the caller still checks for a `toc.dat` inside.
 */
export function parseBackupName(name: string, isDirectory: boolean): ParsedName | null {
  if (!isBackupId(name) || name.endsWith(MANIFEST)) return null
  const partial = name.endsWith(PARTIAL)
  const base = partial ? name.slice(0, -PARTIAL.length) : name
  const seed = isDirectory ? null : SEED.exec(base)
  if (seed) return { format: seed[3] ? 'plain-gzip' : 'plain', partial, createdAt: parseStamp(seed[1], seed[2]), origin: 'seed' }
  const own = CONSOLE.exec(base)
  if (own && isDirectory === (own[4] === undefined)) {
    return { format: FORMAT_OF_EXT[own[4] ?? ''], partial, createdAt: parseStamp(own[2], own[3]), origin: 'console', target: own[1] }
  }
  if (partial) return null
  if (isDirectory) return { format: 'directory', partial, createdAt: null, origin: 'other' }
  if (base.endsWith('.dump')) return { format: 'custom', partial, createdAt: null, origin: 'other' }
  return null
}

/** `dbsafe_<target>_YYYYMMDDTHHMMSSZ` plus the format's extension (none for a directory dump). */
export function consoleBackupName(targetId: string, at: Date, format: BackupFormat): string {
  const stamp = at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  const ext = Object.entries(FORMAT_OF_EXT).find(([, f]) => f === format)?.[0] ?? ''
  return `dbsafe_${targetId}_${stamp}${ext}`
}

export function partialName(name: string): string {
  return name + PARTIAL
}

export function manifestName(name: string): string {
  return name + MANIFEST
}

const FORMAT_OF_EXT: Record<string, BackupFormat> = { '.dump': 'custom', '.sql': 'plain', '.sql.gz': 'plain-gzip', '': 'directory' }

// Stamps are read as UTC (the console writes UTC; the seed script runs on UTC servers); one that is no real date counts as none.
function parseStamp(date: string, time: string): Date | null {
  const [y, mo, d] = [date.slice(0, 4), date.slice(4, 6), date.slice(6, 8)].map(Number)
  const [h, mi, s] = [time.slice(0, 2), time.slice(2, 4), time.slice(4, 6)].map(Number)
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi, s))
  const roundTrips = at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d
    && at.getUTCHours() === h && at.getUTCMinutes() === mi && at.getUTCSeconds() === s
  return roundTrips ? at : null
}
