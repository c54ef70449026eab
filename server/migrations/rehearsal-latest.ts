import type pg from 'pg'
import { isPendingOrFailed } from '~contract/migrations'
import type { LatestRehearsal } from '~contract/rehearsal'
import type { TargetConfig } from '../config/schema'
import { migrationPool } from '../database/target-pool'
import { filesChangedSince, latestRehearsal } from './rehearsal-store'
import { loadMigrations } from './view'

/** The target's latest rehearsal, and whether the migrations pending now are the files it ran. */
export async function latestRehearsalView(consoleDb: pg.Pool, target: TargetConfig): Promise<LatestRehearsal> {
  const rehearsal = await latestRehearsal(consoleDb, target.id)
  if (!rehearsal) return { rehearsal: null, drift: null }
  // Checksums are all the comparison needs: no linting.
  const { view } = await loadMigrations(migrationPool(target), target, () => false)
  return { rehearsal, drift: filesChangedSince(rehearsal, view.migrations.filter(isPendingOrFailed)) }
}
