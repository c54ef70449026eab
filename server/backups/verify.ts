import { stat } from 'node:fs/promises'
import type pg from 'pg'
import type { BackupFormat, BackupManifest, BackupVerification } from '~contract/backups'
import type { TargetConfig } from '../config/schema'
import type { JobContext } from '../jobs/run'
import { checkBackupFile } from './checks'
import { backupConnection } from './connection'
import { readManifest } from './manifest'
import { resolveBackup } from './paths'
import { restoreInto, RestoreFailedError } from './restore'
import { fileFingerprint } from './scan'
import { restoreServer, withClient, withScratchDatabase } from './scratch'
import { sniffDump } from './sniff'
import { knownProblem, saveVerification } from './store'
import { compareTables, tableCounts, type TableComparison } from './table-counts'

export interface VerifyOptions {
  /** A server for scratch databases; default: the target's own server, when its role may create databases. */
  restoreTestUrl?: string
  binDir?: string | null
  /** The target connection used for live counts and the target-server fallback; default: as the app connects. */
  databaseUrl?: string
  who?: string | null
  signal?: AbortSignal
}

type Outcome = TableComparison & { comparedWith: BackupVerification['comparedWith'] }

/**
 * Restore-tests backup `id`: restores it into a scratch database, compares tables and exact row counts
 * with its manifest (or, without one, the live database), drops the scratch database whatever happens,
 * and records the result so the inventory shows the file verified, or corrupt with the reason.
 * Resolves with `ok: false` when the backup fails its test; rejects when the test could not run.
 */
export async function verifyBackup(consoleDb: pg.Pool, target: TargetConfig, id: string, opts: VerifyOptions, ctx: JobContext): Promise<BackupVerification> {
  const path = await resolveBackup(target, id)
  if (!path) throw new Error(`There is no backup "${id}" in the backups dir of "${target.id}"`)
  const started = Date.now()
  const format = (await sniffDump(path, (await stat(path)).isDirectory()))!
  const file = await fileFingerprint(path)
  const read = await readManifest(path)
  const manifest = read.state === 'ok' ? read.manifest : null
  const before = await knownProblem(consoleDb, file)
  const record = async (outcome: Outcome, server: BackupVerification['server']) => {
    const ok = outcome.failures.length === 0
    const result: BackupVerification = {
      id, ok, ...(ok ? {} : { problem: outcome.failures.join('; ') }),
      comparedWith: outcome.comparedWith, server, tables: outcome.tables, notes: outcome.notes,
      verifiedAt: new Date().toISOString(), durationMs: Date.now() - started, ...(!ok && before ? { alreadyCorrupt: before } : {}),
    }
    await saveVerification(consoleDb, target.id, file, result, opts.who ?? null)
    ctx.log(result.ok ? `verified ${id}` : `${id} failed its restore test: ${result.problem}`)
    for (const note of result.notes) ctx.log(`note: ${note}`)
    return result
  }

  const server = await restoreServer(target, opts)
  // A restore can succeed from altered bytes; a file that no longer matches its manifest is not tested.
  if (read.state === 'invalid') return record(failed(read.problem, 'none'), server.kind)
  if (manifest) {
    const check = await checkBackupFile(path, format, manifest, opts.binDir)
    if (!check.ok) return record(failed(check.problem!, 'manifest'), server.kind)
  }
  ctx.log(`restore-testing ${id} on ${server.kind === 'target' ? `the server of "${target.id}"` : 'the restore-test server'}`)
  return withScratchDatabase(server, ctx, async (scratch) =>
    record(await restoreAndCompare(path, format, manifest, scratch, target, opts, ctx), server.kind))
}

async function restoreAndCompare(path: string, format: BackupFormat, manifest: BackupManifest | null, scratch: pg.ClientConfig,
  target: TargetConfig, opts: VerifyOptions, ctx: JobContext): Promise<Outcome> {
  try {
    await restoreInto({ path, format, scratch, binDir: opts.binDir, ctx, signal: opts.signal })
  } catch (err) {
    if (err instanceof RestoreFailedError) return failed(err.message, manifest ? 'manifest' : 'none')
    throw err
  }
  const restored = await withClient(scratch, tableCounts)
  if (manifest) return { ...compareTables(manifest.tables, restored, 'manifest'), comparedWith: 'manifest' }
  try {
    const live = await withClient(backupConnection(target, opts.databaseUrl), tableCounts)
    return { ...compareTables(live, restored, 'live'), comparedWith: 'live' }
  } catch (err) {
    return {
      tables: restored.map((t) => ({ schema: t.schema, name: t.name, expectedRows: null, restoredRows: t.rows })),
      failures: [], notes: [`restored, but not compared with the live database: ${(err as Error).message}`], comparedWith: 'none',
    }
  }
}

function failed(problem: string, comparedWith: Outcome['comparedWith']): Outcome {
  return { tables: [], failures: [problem], notes: [], comparedWith }
}
