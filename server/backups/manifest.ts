import { randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { open, readFile, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { z } from 'zod'
import type { BackupManifest, BackupManifestSummary } from '~contract/backups'
import { manifestName } from './names'

const manifestSchema = z.object({
  manifestVersion: z.literal(1),
  target: z.string(),
  database: z.string(),
  format: z.enum(['plain', 'plain-gzip', 'custom', 'directory']),
  file: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  serverVersion: z.string(),
  serverVersionNum: z.number().int(),
  pgDumpVersion: z.string(),
  databaseSizeBytes: z.number(),
  tables: z.array(z.object({ schema: z.string(), name: z.string(), rows: z.number().int().nonnegative() })),
  createdAt: z.string(),
  durationMs: z.number(),
  createdBy: z.string().nullable(),
  compress: z.number().int().optional(),
  label: z.string().max(200).optional(),
})

export type ManifestRead =
  | { state: 'none' }
  | { state: 'ok', manifest: BackupManifest, mtimeMs: number }
  | { state: 'invalid', problem: string, mtimeMs: number }

export function manifestPath(backupPath: string): string {
  return join(dirname(backupPath), manifestName(basename(backupPath)))
}

export async function readManifest(backupPath: string): Promise<ManifestRead> {
  const path = manifestPath(backupPath)
  const st = await stat(path).catch(() => null)
  if (!st?.isFile()) return { state: 'none' }
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(await readFile(path, 'utf8')))
    if (parsed.success) return { state: 'ok', manifest: parsed.data, mtimeMs: st.mtimeMs }
    return { state: 'invalid', problem: `its manifest is not one the console wrote: ${z.prettifyError(parsed.error)}`, mtimeMs: st.mtimeMs }
  } catch (err) {
    return { state: 'invalid', problem: `its manifest is unreadable: ${(err as Error).message}`, mtimeMs: st.mtimeMs }
  }
}

/**
 * Written to a hidden temp file, fsynced, then renamed: a manifest is whole or absent. The temp file has a random
 * name and is created exclusively, never through a symlink, so whoever can write the backups dir cannot make the
 * console write through a name planted there.
 */
export async function writeManifest(backupPath: string, manifest: BackupManifest): Promise<void> {
  const path = manifestPath(backupPath)
  const tmp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`)
  const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600)
  try {
    try {
      await fh.writeFile(JSON.stringify(manifest, null, 2) + '\n')
      await fh.sync()
    } finally {
      await fh.close()
    }
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true })
    throw err
  }
}

export function summarize(m: BackupManifest): BackupManifestSummary {
  return {
    serverVersion: m.serverVersion, pgDumpVersion: m.pgDumpVersion, databaseSizeBytes: m.databaseSizeBytes,
    durationMs: m.durationMs, tableCount: m.tables.length, totalRows: m.tables.reduce((n, t) => n + t.rows, 0),
  }
}
