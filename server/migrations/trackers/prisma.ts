import { createHash } from 'node:crypto'
import { baseName, textChecksum, type TrackerTool } from './tool'
import type { MigrationSource } from './types'

interface Row { migration_name: string, checksum: string, finished_at: Date | null, started_at: Date, logs: string | null }

/**
 * Prisma Migrate: `_prisma_migrations` in the connection's schema (public unless the URL says otherwise), one row
 * per attempt. Rolled-back rows no longer count; a row never finished and not rolled back is a failed migration
 * that blocks `migrate deploy` until resolved. `checksum` is the sha256 hex of `<name>/migration.sql`.
 */
export const prisma: TrackerTool = {
  describe: 'Prisma\'s table "_prisma_migrations"',
  async read(client) {
    const { rows } = await client.query<Row>(`SELECT migration_name, checksum, finished_at, started_at, logs
      FROM _prisma_migrations WHERE rolled_back_at IS NULL ORDER BY started_at, migration_name`)
    return rows.map((r) => ({
      id: r.migration_name,
      appliedAt: r.finished_at,
      checksum: r.checksum,
      failed: r.finished_at ? null : r.logs?.trim() || `started at ${r.started_at.toISOString()} and never finished`,
    }))
  },
  idOf: (source) => {
    const slash = source.relPath.lastIndexOf('/')
    return slash > 0 ? source.relPath.slice(source.relPath.lastIndexOf('/', slash - 1) + 1, slash) : baseName(source)
  },
  checksumOf: textChecksum,
  checksumMatches,
}

/**
 * As Prisma's schema engine compares (schema-connector checksum.rs): the file as it is, with CRLF turned to LF,
 * or LF to CRLF, so a checkout with other line endings is not drift; checksums of old engines lack zero-padding.
 */
function checksumMatches(source: MigrationSource, recorded: string): boolean {
  const variants = [source.text, source.text.replaceAll('\r\n', '\n'), source.text.replaceAll('\n', '\r\n')]
  return variants.some((text) => {
    const digest = createHash('sha256').update(text).digest()
    const rendered = recorded.length === 64 ? digest.toString('hex') : [...digest].map((b) => b.toString(16)).join('')
    return rendered === recorded
  })
}
