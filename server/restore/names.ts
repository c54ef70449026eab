/** What a database left beside the target is: the live one set aside by a restore, the restored one set aside by an undo, or a restore that never finished. */
export type LeftoverKind = 'before_restore' | 'restored' | 'restore'

export interface RestoreNames {
  stamp: string
  /** Where the backup is restored; becomes the live database at the swap. */
  restore: string
  /** The live database after the swap. */
  beforeRestore: string
  /** The restored database after an undo. */
  restored: string
}

const STAMP = /^\d{8}_\d{6}$/
const LEFTOVER = /^(before_restore|restored|restore)_(\d{8}_\d{6})$/
// PostgreSQL silently truncates longer names, which would make two of them collide.
const MAX_NAME_BYTES = 63

/** `YYYYMMDD_HHMMSS` in UTC: sorts by time and is safe in a database name. */
export function restoreStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace('T', '_').replace(/\.\d+Z$/, '')
}

export function isRestoreStamp(stamp: string): boolean {
  return STAMP.test(stamp)
}

export function stampTime(stamp: string): string {
  return `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(9, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13, 15)}Z`
}

export function leftoverName(database: string, kind: LeftoverKind, stamp: string): string {
  if (!isRestoreStamp(stamp)) throw new Error(`"${stamp}" is not a restore stamp (YYYYMMDD_HHMMSS)`)
  const name = `${database}_${kind}_${stamp}`
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    throw new Error(`The database name "${database}" is too long to keep "${name}" beside it (PostgreSQL allows ${MAX_NAME_BYTES} bytes)`)
  }
  return name
}

export function restoreNames(database: string, stamp: string): RestoreNames {
  return {
    stamp,
    restore: leftoverName(database, 'restore', stamp),
    beforeRestore: leftoverName(database, 'before_restore', stamp),
    restored: leftoverName(database, 'restored', stamp),
  }
}

/** The kind and stamp of `name` when it is one of `database`'s leftovers, else null. */
export function parseLeftover(database: string, name: string): { kind: LeftoverKind, stamp: string } | null {
  if (!name.startsWith(`${database}_`)) return null
  const m = LEFTOVER.exec(name.slice(database.length + 1))
  return m ? { kind: m[1] as LeftoverKind, stamp: m[2] } : null
}
