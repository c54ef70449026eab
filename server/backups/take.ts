import { rename, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type pg from 'pg'
import type { BackupFormat, BackupManifest } from '~contract/backups'
import type { TargetConfig } from '../config/schema'
import type { JobContext } from '../jobs/run'
import { backupConnection } from './connection'
import { dumpToPartial, fsyncPath, pgDumpArgs } from './dump'
import { lockBackupSession } from './lock'
import { manifestPath, writeManifest } from './manifest'
import { consoleBackupName, partialName } from './names'
import { backupsDirReal, exists } from './paths'
import { assertDumpVersion, pgTool, toolVersion } from './pg-binaries'
import { dumpedTableCount, tableCounts } from './table-counts'
import { toolConnection } from './tool-connection'

export interface TakeBackupOptions {
  /** Default custom (`pg_dump -Fc`). */
  format?: 'custom' | 'plain' | 'directory'
  /** pg_dump --compress level, 0–9; a plain dump with a level above 0 is written gzip-compressed as `.sql.gz`. */
  compress?: number
  /** PostgreSQL client binaries; default: the newest installed. */
  binDir?: string | null
  /** Dump with this connection (e.g. a dedicated backup role) instead of the app's. */
  databaseUrl?: string
  /** What the person typed on "Back up now"; kept in the manifest and shown with the backup. */
  label?: string
  signal?: AbortSignal
  /** A session already holding the target's backup lock (lockBackupSession); whoever gave it releases it. */
  session?: pg.Client
}

/**
 * Dumps the target into its backups dir as `dbsafe_<target>_<UTC stamp>` plus the format's extension,
 * with a sidecar manifest. Exact row counts are taken in a REPEATABLE READ transaction whose snapshot
 * pg_dump then dumps (`--snapshot`), so the manifest's counts are the dump's. The session holding that
 * snapshot also holds the target's backup lock (`opts.session`, or one taken here): BackupBusyError when
 * another backup runs anywhere.
 */
export async function takeBackup(target: TargetConfig, opts: TakeBackupOptions, ctx: JobContext, who: string | null): Promise<BackupManifest> {
  const startedAt = new Date()
  const format: BackupFormat = opts.format === 'plain' ? (opts.compress ? 'plain-gzip' : 'plain') : opts.format ?? 'custom'
  const bin = pgTool('pg_dump', opts.binDir)
  const pgDumpVersion = await toolVersion(bin)
  const dir = await backupsDirReal(target)
  const config = backupConnection(target, opts.databaseUrl)
  const held = opts.session ? null : await lockBackupSession(target, opts.databaseUrl)
  const session = opts.session ?? held!.session
  try {
    const { rows: [server] } = await session.query<{ version: string, num: number, database: string, size: number }>(
      `SELECT current_setting('server_version') AS version, current_setting('server_version_num')::int AS num,
        current_database() AS database, pg_database_size(current_database())::float8 AS size`)
    assertDumpVersion(pgDumpVersion, { version: server.version, versionNum: server.num })
    ctx.log(`${pgDumpVersion.text}; server PostgreSQL ${server.version}`)

    await session.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY')
    const { rows: [{ snapshot }] } = await session.query<{ snapshot: string }>('SELECT pg_export_snapshot() AS snapshot')
    const tableCount = await dumpedTableCount(session)
    ctx.progress({ done: 0, total: tableCount, message: `dumping ${tableCount} tables` })

    const name = await freeName(dir, target.id, startedAt, format)
    const finalPath = join(dir, name)
    const partialPath = join(dir, partialName(name))
    // Names the file for the inventory: while this job runs, its `.partial` is "being written", not left over.
    ctx.progress({ file: partialName(name) })
    const conn = toolConnection(config)
    const args = pgDumpArgs(conn, { format, compress: opts.compress, snapshot, file: format === 'directory' ? partialPath : undefined })
    // Exact counts and the dump read the same exported snapshot side by side, so counting adds no wall time.
    const stop = new AbortController()
    opts.signal?.addEventListener('abort', () => stop.abort(), { once: true })
    const counting = tableCounts(session).then((tables) => {
      ctx.log(`counted rows of ${tables.length} tables in snapshot ${snapshot}`)
      return tables
    }, (err: Error) => {
      stop.abort()
      throw new Error(`Could not count the rows of every table (${err.message}); pg_dump would fail the same way: `
        + 'grant the connecting role SELECT on all tables and sequences, or give backups their own connection', { cause: err })
    })
    const dumping = dumpToPartial({ bin, args, conn, partialPath, directory: format === 'directory', tableCount, ctx, signal: stop.signal })
    let manifest: BackupManifest
    try {
      const [tables, { sizeBytes, sha256 }] = await Promise.all([counting, dumping.catch(async (err) => {
        // A dump stopped because counting failed reports the counting error, not the abort.
        await counting
        throw err
      })])
      manifest = {
        manifestVersion: 1, target: target.id, database: server.database, format, file: name, sizeBytes, sha256,
        serverVersion: server.version, serverVersionNum: server.num, pgDumpVersion: pgDumpVersion.text,
        databaseSizeBytes: server.size, tables, createdAt: startedAt.toISOString(), durationMs: Date.now() - startedAt.getTime(),
        createdBy: who, ...(opts.compress !== undefined ? { compress: opts.compress } : {}), ...(opts.label ? { label: opts.label } : {}),
      }
      // The manifest first, then the dump's final name: a dump never lists under its final name without one.
      await writeManifest(finalPath, manifest)
      await rename(partialPath, finalPath)
    } catch (err) {
      // A failed backup leaves nothing behind (e.g. a disk that filled up while the manifest was written).
      await Promise.all([rm(partialPath, { recursive: true, force: true }), rm(manifestPath(finalPath), { force: true })])
      throw err
    }
    await fsyncPath(dir)
    ctx.log(`wrote ${name}: ${manifest.sizeBytes} bytes, sha256 ${manifest.sha256}`)
    return manifest
  } finally {
    // Ends the read-only snapshot transaction and releases the advisory lock.
    await held?.release()
  }
}

// Names carry the second a dump started; a second dump within the same second takes the next free one.
async function freeName(dir: string, targetId: string, at: Date, format: BackupFormat): Promise<string> {
  for (let i = 0; i < 60; i++) {
    const name = consoleBackupName(targetId, new Date(at.getTime() + i * 1000), format)
    if (!(await exists(join(dir, name))) && !(await exists(join(dir, partialName(name))))) return name
  }
  throw new Error(`No free backup name in ${dir} around ${at.toISOString()}`)
}
