import type { BackupFormat } from '~contract/backups'

export interface ParsedName {
  /** A `.partial` name: a dump still being written, or one that never finished. */
  partial: boolean
  /** From the timestamp in the name (UTC); null when the name has none or it is not a real date. */
  createdAt: Date | null
  origin: 'seed' | 'console' | 'other'
  target?: string
  /** `db_backup_<label>_<stamp>`: the label the seed's backup script was given (e.g. `pre_deployment`). */
  label?: string
}

// Ids are base names: URL-safe, never a path (no "/", no NUL), never "." or "..".
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,250}$/
const CONSOLE = /^dbsafe_([a-z0-9][a-z0-9-]{0,62})_(\d{8})T(\d{6})Z(\.dump|\.sql|\.sql\.gz)?$/
// The common stamps: 20261130_020000, 20261130T020000Z, 2026-11-30_02-00-00 (and T or "-" between date and time).
const STAMPS: RegExp[] = [
  /(?<![0-9])(\d{4})(\d{2})(\d{2})[_T-]?(\d{2})(\d{2})(\d{2})Z?(?![0-9])/,
  /(?<![0-9])(\d{4})-(\d{2})-(\d{2})[_T-](\d{2})-(\d{2})-(\d{2})Z?(?![0-9])/,
]
const LABELLED = /^(?:db_)?backup_([A-Za-z0-9][A-Za-z0-9_.-]*?)_$/
const PARTIAL = '.partial'
const MANIFEST = '.manifest.json'

export function isBackupId(id: unknown): id is string {
  return typeof id === 'string' && ID.test(id) && !id.includes('..')
}

/**
 * What a name in the backups dir says about a backup: its time, label and origin. Whether it is a
 * backup at all is decided by its bytes (sniff.ts); null here only for names that can never be one
 * (not a safe id, a manifest).
 */
export function parseBackupName(name: string): ParsedName | null {
  if (!isBackupId(name) || name.endsWith(MANIFEST)) return null
  const partial = name.endsWith(PARTIAL)
  const base = partial ? name.slice(0, -PARTIAL.length) : name
  const own = CONSOLE.exec(base)
  if (own) return { partial, createdAt: parseStamp(own[2] + own[3]), origin: 'console', target: own[1] }
  for (const re of STAMPS) {
    const m = re.exec(base)
    if (!m) continue
    const label = LABELLED.exec(base.slice(0, m.index))?.[1]
    return { partial, createdAt: parseStamp(m.slice(1, 7).join('')), origin: base.startsWith('db_backup_') ? 'seed' : 'other', ...(label ? { label } : {}) }
  }
  return { partial, createdAt: null, origin: base.startsWith('db_backup_') ? 'seed' : 'other' }
}

// Extensions only dumps carry: a file named so whose bytes are no dump is listed, as corrupt, rather
// than hidden (an empty or garbage nightly file is the finding). `.sql` and `.tar` name other things too.
const CLAIMED: [RegExp, BackupFormat][] = [[/\.(dump|backup)$/, 'custom'], [/\.sql\.gz$/, 'plain-gzip'], [/\.sql\.zst$/, 'plain-zstd']]

/** The format a name claims when its bytes are no dump: console names and dump-only extensions. */
export function claimedFormat(name: string): BackupFormat | null {
  const base = name.endsWith(PARTIAL) ? name.slice(0, -PARTIAL.length) : name
  return consoleFormat(base) ?? CLAIMED.find(([re]) => re.test(base))?.[1] ?? null
}

/** The format a console backup's name promises; the fallback for its `.partial` while pg_dump writes it. */
export function consoleFormat(name: string): BackupFormat | null {
  const own = CONSOLE.exec(name.endsWith(PARTIAL) ? name.slice(0, -PARTIAL.length) : name)
  return own ? FORMAT_OF_EXT[own[4] ?? ''] : null
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
function parseStamp(digits: string): Date | null {
  const [y, mo, d, h, mi, s] = [0, 4, 6, 8, 10, 12].map((at, i) => Number(digits.slice(at, at + (i ? 2 : 4))))
  const at = new Date(Date.UTC(y, mo - 1, d, h, mi, s))
  const roundTrips = at.getUTCFullYear() === y && at.getUTCMonth() === mo - 1 && at.getUTCDate() === d
    && at.getUTCHours() === h && at.getUTCMinutes() === mi && at.getUTCSeconds() === s
  return roundTrips ? at : null
}
