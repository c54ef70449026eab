import { describe, expect, it } from 'vitest'
import type { BackupEntry, BackupStatus } from '~contract/backups'
import {
  backupAgeMs, backupFreshness, backupMaxAgeHours, isFresh, newestBackup, newestUsableBackup, newestVerifiedBackup, scheduledBackupHealth,
} from '~server/backups/newest'

const NOW = new Date('2026-11-20T12:00:00Z')
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString()
function entry(id: string, status: BackupStatus, createdAt: string, extra: Partial<BackupEntry> = {}): BackupEntry {
  return { id, file: `/b/${id}`, sizeBytes: 1, createdAt, modifiedAt: createdAt, format: 'custom', status, expiresAt: createdAt, expired: false, scheduled: false, ...extra }
}

// Oldest first on purpose: nothing may depend on the inventory's newest-first order.
const backups = [
  entry('a.dump', 'verified', hoursAgo(30), { verifiedAt: hoursAgo(29) }),
  entry('b.dump', 'verified', hoursAgo(20), { verifiedAt: hoursAgo(19) }),
  entry('c.dump', 'unverified', hoursAgo(10)),
  entry('d.dump', 'corrupt', hoursAgo(5), { problem: 'truncated', verifiedAt: hoursAgo(4) }),
  entry('e.dump.partial', 'partial', hoursAgo(1)),
]

describe('newest backups', () => {
  it.each([
    ['newest (not partial)', newestBackup, 'd.dump'],
    ['newest usable', newestUsableBackup, 'c.dump'],
    ['newest verified', newestVerifiedBackup, 'b.dump'],
  ])('%s ignores list order and the states it does not count', (_name, pick, id) => {
    expect(pick(backups)?.id).toBe(id)
    expect(pick([...backups].reverse())?.id).toBe(id)
    expect(pick([backups[2], backups[0], backups[4], backups[1], backups[3]])?.id).toBe(id)
  })

  it('never picks a corrupt or partial backup as usable or verified', () => {
    const bad = [entry('x', 'corrupt', hoursAgo(1), { verifiedAt: hoursAgo(1) }), entry('y', 'partial', hoursAgo(0))]
    expect(newestUsableBackup(bad)).toBeNull()
    expect(newestVerifiedBackup(bad)).toBeNull()
    expect(newestBackup(bad)?.id).toBe('x')
    expect(newestBackup([])).toBeNull()
  })

  it('breaks a tie of creation times by the first id, as the inventory lists them', () => {
    const at = hoursAgo(2)
    expect(newestVerifiedBackup([entry('z', 'verified', at), entry('m', 'verified', at)])?.id).toBe('m')
  })

  it('counts age from the dump, and freshness against the configured maximum', () => {
    const b = entry('b', 'verified', hoursAgo(20), { verifiedAt: hoursAgo(1) })
    expect(backupAgeMs(b, NOW)).toBe(20 * 3_600_000)
    expect(isFresh(b, 24, NOW)).toBe(true)
    expect(isFresh(b, 12, NOW)).toBe(false)
    expect(isFresh(b, 20, NOW)).toBe(false)
    expect(backupMaxAgeHours(undefined)).toBe(24)
    expect(backupMaxAgeHours({})).toBe(24)
    expect(backupMaxAgeHours({ backupMaxAgeHours: 6 })).toBe(6)
  })

  it('summarises the facts pages read, with the max age they were judged by', () => {
    expect(backupFreshness(backups, 24, NOW)).toEqual({
      count: 5, maxAgeHours: 24,
      newest: { id: 'd.dump', status: 'corrupt', createdAt: hoursAgo(5), verifiedAt: hoursAgo(4), problem: 'truncated' },
      newestUsable: { id: 'c.dump', status: 'unverified', createdAt: hoursAgo(10) },
      newestVerified: { id: 'b.dump', status: 'verified', createdAt: hoursAgo(20), verifiedAt: hoursAgo(19) },
      usableFresh: true,
      verifiedFresh: true,
    })
    expect(backupFreshness(backups, 12, NOW)).toMatchObject({ maxAgeHours: 12, usableFresh: true, verifiedFresh: false })
    expect(backupFreshness([], 24, NOW)).toEqual({
      count: 0, maxAgeHours: 24, newest: null, newestUsable: null, newestVerified: null, usableFresh: false, verifiedFresh: false,
    })
  })
})

describe('scheduled backup health', () => {
  const nightly = (id: string, status: BackupStatus, h: number, extra: Partial<BackupEntry> = {}) => entry(id, status, hoursAgo(h), { scheduled: true, ...extra })

  it('warns when the newest nightly file is corrupt, however fresh a manual restore-tested backup is', () => {
    const h = scheduledBackupHealth([
      nightly('db_backup_1.sql.gz', 'unverified', 34), nightly('db_backup_2.sql.gz', 'corrupt', 10, { problem: 'truncated gzip' }),
      entry('dbsafe_prod_x.dump', 'verified', hoursAgo(1), { verifiedAt: hoursAgo(1) }),
    ], 24, NOW)
    expect(h.healthy).toBe(false)
    expect(h.newest?.id).toBe('db_backup_2.sql.gz')
    expect(h.newestUsable?.id).toBe('db_backup_1.sql.gz')
    expect(h.warning).toContain('db_backup_2.sql.gz, is corrupt (truncated gzip)')
  })

  it('is healthy while a nightly file that reads back is younger than the interval, and warns once it is not', () => {
    const files = [nightly('db_backup_1.sql.gz', 'unverified', 20)]
    expect(scheduledBackupHealth(files, 24, NOW)).toMatchObject({ healthy: true, warning: null })
    expect(scheduledBackupHealth(files, 12, NOW)).toMatchObject({ healthy: false, warning: expect.stringContaining('wrote nothing in the last 12 h') })
  })

  it('warns when only manual backups exist', () => {
    const h = scheduledBackupHealth([entry('dbsafe_prod_x.dump', 'verified', hoursAgo(1))], 24, NOW)
    expect(h).toMatchObject({ healthy: false, newest: null, warning: expect.stringContaining('only manual ones') })
  })
})
