import type { UndoRestoreResult } from '~contract/restore'
import type { TargetConfig } from '../config/schema'
import type { JobContext } from '../jobs/run'
import { isRestoreStamp, restoreNames } from './names'
import { databaseFacts, withRestoreSession, type SessionOptions } from './session'
import { swapDatabases } from './swap'

/**
 * Undoes the emergency restore made at `stamp`: the same guarded swap back. The database that is live now
 * (the restored one, with whatever was written to it since) is kept as `<db>_restored_<stamp>`, and
 * `<db>_before_restore_<stamp>` becomes `<db>` again, with the owners and privileges it always had.
 */
export async function undoRestore(target: TargetConfig, stamp: string, opts: SessionOptions, ctx: JobContext): Promise<UndoRestoreResult> {
  if (!isRestoreStamp(stamp)) throw new Error(`"${stamp}" is not a restore stamp (YYYYMMDD_HHMMSS)`)
  const started = Date.now()
  return withRestoreSession(target, opts, 'hold', async (s) => {
    const names = restoreNames(s.database, stamp)
    const found = await databaseFacts(s.client, [names.beforeRestore, names.restored])
    if (!found.some((d) => d.name === names.beforeRestore)) throw new Error(`There is no "${names.beforeRestore}" to bring back`)
    if (found.some((d) => d.name === names.restored)) throw new Error(`"${names.restored}" already exists: this restore was undone before`)
    ctx.log(`bringing back "${names.beforeRestore}" as "${s.database}"; the current "${s.database}" is kept as "${names.restored}"`)
    const swap = await swapDatabases(s, [[s.database, names.restored], [names.beforeRestore, s.database]], ctx)
    return { database: s.database, stamp, broughtBack: names.beforeRestore, setAside: names.restored, swap, durationMs: Date.now() - started }
  })
}
