import type pg from 'pg'
import type { TargetConfig } from '../config/schema'
import { targetPool } from '../database/target-pool'
import { databaseSize } from './database-size'
import { pruneSizeSamples, recordSizeSample } from './samples'

/**
 * Samples every target's size once (one cheap query each, one after the other). A target that cannot be
 * reached is skipped: the history shows a gap, and nothing else notices.
 */
export async function sampleAllTargets(db: pg.Pool, targets: TargetConfig[]): Promise<void> {
  for (const target of targets) {
    try {
      await recordSizeSample(db, target.id, await databaseSize(targetPool(target)))
    } catch {
      // Unreachable now; the next round tries again.
    }
  }
  await pruneSizeSamples(db).catch(() => {})
}
