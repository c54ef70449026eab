import type pg from 'pg'
import type { SizeSample } from '~contract/monitoring'

// (namespace, key) for pg_advisory_xact_lock; the key is the target's hash, so targets do not wait on each other.
const SAMPLE_LOCK_NAMESPACE = 730_517
const KEEP_DAYS = 400

/**
 * Stores a size sample unless the target already has one younger than the interval. Returns whether it stored one.
 * The check and the insert run under a transaction-scoped advisory lock, in separate statements: the insert's
 * snapshot is then taken after the lock is held, so it sees the sample another instance has just committed.
 */
export async function recordSizeSample(db: pg.Pool, targetId: string, sizeBytes: number, minIntervalMinutes = 5): Promise<boolean> {
  const client = await db.connect()
  try {
    await client.query('BEGIN')
    await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [SAMPLE_LOCK_NAMESPACE, targetId])
    const { rowCount } = await client.query(`
      INSERT INTO db_size_samples (target, at, size_bytes)
      SELECT $1, clock_timestamp(), $2
      WHERE NOT EXISTS (SELECT 1 FROM db_size_samples WHERE target = $1 AND at > clock_timestamp() - $3::float8 * interval '1 minute')`,
    [targetId, Math.round(sizeBytes), minIntervalMinutes])
    await client.query('COMMIT')
    return rowCount === 1
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    client.release()
  }
}

/** The target's samples over the last `days` days, oldest first. */
export async function sizeHistory(db: pg.Pool, targetId: string, days = 30): Promise<SizeSample[]> {
  const { rows } = await db.query<{ at: Date, sizeBytes: number }>(`
    SELECT at, size_bytes::float8 AS "sizeBytes" FROM db_size_samples
    WHERE target = $1 AND at > now() - make_interval(days => $2)
    ORDER BY at`, [targetId, days])
  return rows.map((r) => ({ at: r.at.toISOString(), sizeBytes: r.sizeBytes }))
}

/** Drops samples older than anything the history can show. */
export async function pruneSizeSamples(db: pg.Pool): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM db_size_samples WHERE at < now() - make_interval(days => $1)', [KEEP_DAYS])
  return rowCount ?? 0
}
