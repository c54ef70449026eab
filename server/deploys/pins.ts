import type pg from 'pg'
import type { TargetConfig } from '../config/schema'
import { pinnedBackupRows } from './store'

/** Backup id → why retention keeps it: the deploy it was taken for is open, or ended less than `deployPinDays` ago. */
export async function deployPins(consoleDb: pg.Pool, target: TargetConfig, now: Date): Promise<Map<string, string>> {
  const rows = await pinnedBackupRows(consoleDb, target.id, target.deployPinDays, now)
  return new Map(rows.map((r) => [r.backup, r.endedAt
    ? `pinned by deploy #${r.id} until ${new Date(Date.parse(r.endedAt) + target.deployPinDays * 86_400_000).toISOString().slice(0, 10)}`
    : `pinned by deploy #${r.id}, still open`]))
}
