import { describe, expect, it } from 'vitest'
import type { BackupEntry, BackupStatus } from '~contract/backups'
import { planRetention } from '~server/backups/retention'

const NOW = new Date('2025-03-20T12:00:00Z')
const DAY = 86_400_000

// A backup `age` days old (by its name's timestamp), last written when it was taken unless `touched` says otherwise.
function entry(id: string, age: number, status: BackupStatus = 'unverified', touchedDaysAgo = age): BackupEntry {
  const createdAt = new Date(NOW.getTime() - age * DAY).toISOString()
  return {
    id, file: `/backups/${id}`, sizeBytes: 100, createdAt, modifiedAt: new Date(NOW.getTime() - touchedDaysAgo * DAY).toISOString(),
    format: 'custom', status, expiresAt: createdAt, expired: false, scheduled: false,
  }
}

function plan(entries: BackupEntry[], keepMin = 3, retentionDays = 7) {
  const p = planRetention(entries, { retentionDays, keepMin, now: NOW })
  return { keep: p.keep.map((k) => k.id).sort(), remove: p.remove.map((r) => r.id).sort() }
}

describe('retention plan', () => {
  it.each([
    {
      case: 'expired backups go once keepMin newer usable ones exist',
      entries: [entry('a', 1), entry('b', 2), entry('c', 3), entry('d', 10), entry('e', 20)],
      keepMin: 3, keep: ['a', 'b', 'c'], remove: ['d', 'e'],
    },
    {
      case: 'keepMin protects the newest usable even when all are expired',
      entries: [entry('a', 30), entry('b', 40), entry('c', 50), entry('d', 60)],
      keepMin: 3, keep: ['a', 'b', 'c'], remove: ['d'],
    },
    {
      case: 'corrupt backups do not count as usable, so an older good one is kept instead',
      entries: [entry('a', 20, 'corrupt'), entry('b', 21), entry('c', 22, 'corrupt'), entry('d', 23), entry('e', 24), entry('f', 25)],
      keepMin: 3, keep: ['b', 'd', 'e'], remove: ['a', 'c', 'f'],
    },
    {
      case: 'a corrupt backup within retention stays to be looked at',
      entries: [entry('a', 1, 'corrupt'), entry('b', 2), entry('c', 3), entry('d', 4)],
      keepMin: 3, keep: ['a', 'b', 'c', 'd'], remove: [],
    },
    {
      case: 'verified backups are usable like unverified ones',
      entries: [entry('a', 10, 'verified'), entry('b', 11, 'unverified'), entry('c', 12, 'verified')],
      keepMin: 2, keep: ['a', 'b'], remove: ['c'],
    },
    {
      case: 'partials do not count as usable; a fresh one stays, one untouched for over a day goes',
      entries: [entry('p-new', 0.1, 'partial'), entry('p-old', 3, 'partial'), entry('a', 1), entry('b', 2)],
      keepMin: 3, keep: ['a', 'b', 'p-new'], remove: ['p-old'],
    },
    {
      case: 'a partial named long ago but still being written stays',
      entries: [entry('p', 30, 'partial', 0.01), entry('a', 1)],
      keepMin: 1, keep: ['a', 'p'], remove: [],
    },
    {
      case: 'keepMin 0 removes every expired backup',
      entries: [entry('a', 8), entry('b', 9)],
      keepMin: 0, keep: [], remove: ['a', 'b'],
    },
    {
      case: 'nothing expired, nothing removed',
      entries: [entry('a', 1), entry('b', 2), entry('c', 6.9), entry('d', 6), entry('e', 5)],
      keepMin: 3, keep: ['a', 'b', 'c', 'd', 'e'], remove: [],
    },
  ])('$case', ({ entries, keepMin, keep, remove }) => {
    expect(plan(entries, keepMin)).toEqual({ keep, remove })
  })

  it('uses the retention days given, not what the entries were listed with', () => {
    const entries = [entry('a', 1), entry('b', 4), entry('c', 5)]
    expect(plan(entries, 1, 3)).toEqual({ keep: ['a'], remove: ['b', 'c'] })
    expect(plan(entries, 1, 30)).toEqual({ keep: ['a', 'b', 'c'], remove: [] })
  })

  it('says why each backup stays or goes, and names the file to delete', () => {
    const p = planRetention([entry('a', 30), entry('b', 40, 'corrupt'), entry('c', 50)], { retentionDays: 7, keepMin: 1, now: NOW })
    expect(p.keep).toEqual([{ id: 'a', reason: 'one of the 1 newest usable backups, kept although expired' }])
    expect(p.remove).toEqual([
      { id: 'b', file: '/backups/b', reason: 'older than 7 days (and corrupt)' },
      { id: 'c', file: '/backups/c', reason: 'older than 7 days' },
    ])
  })
})
