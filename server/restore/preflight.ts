import { stat } from 'node:fs/promises'
import type { BackupFormat, BackupManifest } from '~contract/backups'
import { checkBackupFile } from '../backups/checks'
import { readManifest } from '../backups/manifest'
import { resolveBackup } from '../backups/paths'
import { withClient } from '../backups/scratch'
import { sniffDump } from '../backups/sniff'
import type { TargetConfig } from '../config/schema'
import { readEnvFile } from '../envfile/read'
import { RefusedError } from '../errors'
import { readCatalog, type CatalogSnapshot } from './catalog'
import { restoreNames, type RestoreNames } from './names'
import { assertMayActAs } from './privileges-apply'
import { databaseFacts, type RestoreSession } from './session'

export interface Preflight {
  path: string
  format: BackupFormat
  manifest: BackupManifest | null
  names: RestoreNames
  live: CatalogSnapshot
  notes: string[]
}

/** The stamp's names are in use: a restore or undo of this database earlier in the same second. */
export class NamesTakenError extends Error {}

/**
 * Everything that can be known before anything changes: the backup is one of the target's and (with a
 * manifest) byte for byte the file that was dumped, the names are free, and the restore role can act as
 * every owner of the live database. A restore that would fail on these fails here, with the env file,
 * the backups dir and the live database untouched.
 */
export async function preflight(s: RestoreSession, target: TargetConfig, backupId: string, stamp: string, binDir?: string | null): Promise<Preflight> {
  const notes: string[] = []
  const names = restoreNames(s.database, stamp)
  const taken = await databaseFacts(s.client, [names.restore, names.beforeRestore])
  if (taken.length) throw new NamesTakenError(`A database named ${taken.map((t) => `"${t.name}"`).join(' and ')} already exists; try again in a second`)

  const path = await resolveBackup(target, backupId)
  if (!path) throw new Error(`There is no backup "${backupId}" in the backups dir of "${target.id}"`)
  const format = await sniffDump(path, (await stat(path)).isDirectory())
  if (!format) throw new Error(`"${backupId}" is not a PostgreSQL dump`)
  const read = await readManifest(path)
  if (read.state === 'invalid') throw new Error(`"${backupId}" cannot be trusted: ${read.problem}`)
  const manifest = read.state === 'ok' ? read.manifest : null
  if (manifest) {
    // The manifest's row counts describe the file that was dumped, not one changed since.
    const check = await checkBackupFile(path, format, manifest, binDir)
    if (!check.ok) throw new Error(`"${backupId}" ${check.problem}`)
    if (manifest.database !== s.database) notes.push(`the backup was taken of database "${manifest.database}", the target's is "${s.database}"`)
  }

  const live = await assertMayRestoreOver(s, target)
  return { path, format, manifest, names, live, notes }
}

/**
 * The checks that need neither the backup nor any change, also run before a restore job starts: the env
 * file exists (SKIP_MIGRATIONS must be set) and the restore role can act as every owner of the live database.
 */
export async function assertMayRestoreOver(s: RestoreSession, target: TargetConfig): Promise<CatalogSnapshot> {
  if (!readEnvFile(target.envFile).exists) {
    throw new RefusedError(`The env file ${target.envFile} does not exist, so SKIP_MIGRATIONS cannot be set: a restarting app would migrate the restored schema`,
      { code: 'no-env-file' })
  }
  // The owner first, from the maintenance database: without it the live database may not even admit the role.
  const { rows: [owner] } = await s.client.query<{ owner: string }>('SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1', [s.database])
  await assertMayActAs(s.client, s.role, { database: { name: s.database, owner: owner.owner } as CatalogSnapshot['database'] })
  return withClient(s.on(s.database), async (c) => {
    const snapshot = await readCatalog(c)
    await assertMayActAs(c, s.role, snapshot)
    return snapshot
  })
}
