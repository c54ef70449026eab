// PLACEHOLDER until the trackers branch lands.
import type pg from 'pg'
import type { MigrationsTracker } from '../../config/schema'
import type { MigrationSource, TrackerRead } from './types'

export type AppTracker = Exclude<MigrationsTracker, 'dbsafe'>
export interface TrackedStatusRow { relPath?: string, id: string, status: 'applied' | 'pending' | 'drifted' | 'failed' | 'missing', appliedAt: Date | null, lastError?: string }
export async function readTracker(_db: pg.Pool | pg.ClientBase, _t: AppTracker, _dir: string): Promise<TrackerRead> { throw new Error('not yet') }
export function trackerIdOf(_t: AppTracker, _s: MigrationSource): string { throw new Error('not yet') }
export function trackedStatus(_t: AppTracker, _s: MigrationSource[], _r: TrackerRead & { ok: true }): TrackedStatusRow[] { throw new Error('not yet') }
