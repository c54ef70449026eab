import { describe, expect, it } from 'vitest'
import type { Rehearsal, RehearsedMigration, RelationLock } from '~contract/rehearsal'
import { driftText, isHeavyLock, rehearsalNote } from './rehearsal'

const lock = (over: Partial<RelationLock>): RelationLock =>
  ({ schema: 'public', name: 'orders', kind: 'table', modes: ['ACCESS EXCLUSIVE'], sizeBytes: 1 << 20, rowEstimate: 1000, ...over })
const migration = (over: Partial<RehearsedMigration>): RehearsedMigration =>
  ({ name: '006_x', checksum: 'c', catchUp: false, status: 'ok', durationMs: 1200, locks: [], ...over })
const rehearsal = (migrations: RehearsedMigration[]): Rehearsal => ({
  id: 3, target: 'staging', ok: migrations.every((m) => m.status !== 'failed'), startedAt: '2026-01-01T10:00:00Z', finishedAt: '2026-01-01T10:00:05Z',
  server: 'restore-test', restoreMs: 900, createdBy: 'olga', migrations,
  backup: { id: 'db_backup_20260101_020000.sql.gz', createdAt: '2026-01-01T02:00:00Z', status: 'verified', format: 'plain', sizeBytes: 1, mtimeMs: 0, sha256: 'x' },
})
const clean = { changed: false, modified: [], added: [], noLongerPending: [] }

describe('rehearsal helpers', () => {
  it.each([
    ['ACCESS EXCLUSIVE on a table with 2M rows', lock({ rowEstimate: 2_000_000 }), true],
    ['ACCESS EXCLUSIVE on a 200 MB table', lock({ sizeBytes: 200 << 20 }), true],
    ['ACCESS EXCLUSIVE on a small table', lock({}), false],
    ['SHARE on a large table', lock({ modes: ['SHARE'], rowEstimate: 2_000_000 }), false],
    ['ACCESS EXCLUSIVE on a large index', lock({ kind: 'index', sizeBytes: 200 << 20 }), false],
    ['a table the migration created', lock({ createdHere: true, rowEstimate: 2_000_000 }), false],
  ])('highlights %s: %s', (_what, l, heavy) => {
    expect(isHeavyLock(l)).toBe(heavy)
  })

  it('says what the latest rehearsal means for a run now', () => {
    expect(rehearsalNote({ rehearsal: null, drift: null })).toEqual({ tone: 'warn', text: expect.stringContaining('No rehearsal has been done') })
    const passed = rehearsal([migration({ name: '005_a', durationMs: 300 }), migration({ name: '006_b', durationMs: 900 })])
    expect(rehearsalNote({ rehearsal: passed, drift: clean })).toEqual({ tone: 'ok', text: expect.stringMatching(/on a copy of db_backup_20260101_020000\.sql\.gz: 2 migrations passed in 1 s\.$/) })
    const failed = rehearsal([migration({ status: 'failed', error: { line: 2, statement: 'DROP TABLE x', message: 'must be owner of table x' } })])
    expect(rehearsalNote({ rehearsal: failed, drift: clean })).toEqual({ tone: 'bad', text: expect.stringMatching(/failed: 006_x at line 2: must be owner of table x\.$/) })
    const changed = { changed: true, modified: ['006_x'], added: ['007_y'], noLongerPending: [] }
    expect(driftText(changed)).toBe('006_x changed, 007_y not rehearsed')
    expect(rehearsalNote({ rehearsal: failed, drift: changed })).toEqual({ tone: 'warn', text: expect.stringContaining('The files changed since the last rehearsal') })
  })
})
