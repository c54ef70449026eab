import { describe, expect, it } from 'vitest'
import { trackedStatus, trackerChecksumOf, trackerIdOf, type AppTracker } from '~server/migrations/trackers/index'
import type { MigrationSource, TrackedEntry } from '~server/migrations/trackers/types'

const file = (relPath: string, extra: Partial<MigrationSource> = {}): MigrationSource => ({ relPath, text: 'SELECT 1;\n', ...extra })
// sha256 of "hello", and as engines before prisma-engines#1887 rendered it (no zero-padding per byte).
const HELLO = '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824'
const HELLO_UNPADDED = '2cf24dba5fb0a3e26e83b2ac5b9e29e1b161e5c1fa7425e7343362938b9824'

describe('the id each tool records for a file', () => {
  it.each<[AppTracker, MigrationSource, string]>([
    ['prisma', file('20240101000000_init/migration.sql'), '20240101000000_init'],
    ['knex', file('20240101120000_users.js'), '20240101120000_users.js'],
    ['sequelize', file('20240101120000-create-users.cjs'), '20240101120000-create-users.cjs'],
    ['node-pg-migrate', file('1700000000000_users.ts'), '1700000000000_users'],
    ['kysely', file('2024-01-01_users.mts'), '2024-01-01_users'],
    ['drizzle', file('0003_brave_wolverine.sql'), '0003_brave_wolverine'],
    ['typeorm', file('1700000000000-add-users_table.ts'), 'AddUsersTable1700000000000'],
    ['typeorm', file('1700000000000-CreateOrders.ts'), 'CreateOrders1700000000000'],
    ['typeorm', file('1700000000000-orders.ts', { className: 'LegacyOrders1600000000000' }), 'LegacyOrders1600000000000'],
    [{ query: 'SELECT 1' }, file('001_init_schema.ts', { moduleId: '001_config_table' }), '001_config_table'],
    [{ query: 'SELECT 1' }, file('002_users.ts'), '002_users'],
  ])('%j: %j is %s', (tracker, source, id) => {
    expect(trackerIdOf(tracker, source)).toBe(id)
  })
})

describe('checksums', () => {
  it('are the sha256 hex of the file for Prisma and Drizzle, and none for tools that keep none', () => {
    expect(trackerChecksumOf('prisma', file('x/migration.sql', { text: 'hello' }))).toBe(HELLO)
    expect(trackerChecksumOf('drizzle', file('0000_x.sql', { text: 'hello' }))).toBe(HELLO)
    expect(trackerChecksumOf('knex', file('1_x.js', { text: 'hello' }))).toBeNull()
  })

  it.each([
    ['the same text', HELLO, 'applied'],
    ['an old engine\'s unpadded rendering', HELLO_UNPADDED, 'applied'],
    ['another text', HELLO.replace('2c', '3c'), 'drifted'],
  ])('Prisma: a recorded checksum of %s is %s', (_, checksum, status) => {
    const entries: TrackedEntry[] = [{ id: 'a', appliedAt: null, checksum }]
    expect(trackedStatus('prisma', [file('a/migration.sql', { text: 'hello' })], { ok: true, entries })[0].status).toBe(status)
  })
})

describe('trackedStatus', () => {
  const at = new Date('2024-05-01T10:00:00Z')

  it('keeps the files\' order, then lists tracked ids whose file is gone', () => {
    const entries: TrackedEntry[] = [{ id: '0_gone.js', appliedAt: at }, { id: '2_b.js', appliedAt: at }]
    expect(trackedStatus('knex', [file('2_b.js'), file('1_a.js')], { ok: true, entries })).toEqual([
      { relPath: '2_b.js', id: '2_b.js', status: 'applied', appliedAt: at },
      { relPath: '1_a.js', id: '1_a.js', status: 'pending', appliedAt: null },
      { relPath: null, id: '0_gone.js', status: 'missing', appliedAt: at },
    ])
  })

  it('shows a failed attempt as failed with its error, unless the same id was applied too', () => {
    const entries: TrackedEntry[] = [
      { id: 'a', appliedAt: null, checksum: HELLO, failed: 'division by zero' },
      { id: 'b', appliedAt: null, checksum: HELLO, failed: 'syntax error' },
      { id: 'b', appliedAt: at, checksum: HELLO },
    ]
    const sources = [file('a/migration.sql', { text: 'hello' }), file('b/migration.sql', { text: 'hello' })]
    expect(trackedStatus('prisma', sources, { ok: true, entries })).toEqual([
      { relPath: 'a/migration.sql', id: 'a', status: 'failed', appliedAt: null, lastError: 'division by zero' },
      { relPath: 'b/migration.sql', id: 'b', status: 'applied', appliedAt: at },
    ])
  })

  it('cannot call a file drifted without a recorded checksum', () => {
    expect(trackedStatus('drizzle', [file('0000_a.sql')], { ok: true, entries: [{ id: '0000_a', appliedAt: null, checksum: null }] })[0].status).toBe('applied')
  })
})
