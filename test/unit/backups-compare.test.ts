import { describe, expect, it } from 'vitest'
import { compareTables } from '~server/backups/table-counts'

const t = (name: string, rows: number) => ({ schema: 'public', name, rows })

describe('restored tables against expectations', () => {
  it('passes when every table is there with the same row count', () => {
    const r = compareTables([t('users', 10), t('events', 0)], [t('events', 0), t('users', 10)], 'manifest')
    expect(r.failures).toEqual([])
    expect(r.tables).toContainEqual({ schema: 'public', name: 'users', expectedRows: 10, restoredRows: 10 })
  })

  it('fails a missing table whatever it is compared with', () => {
    for (const against of ['manifest', 'live'] as const) {
      const r = compareTables([t('users', 10), t('events', 5)], [t('users', 10)], against)
      expect(r.failures).toEqual(['table public.events is missing from the restored database'])
      expect(r.tables).toContainEqual({ schema: 'public', name: 'events', expectedRows: 5, restoredRows: null })
    }
  })

  it('fails a row count that differs from the manifest, which counted the dumped snapshot', () => {
    const r = compareTables([t('users', 10)], [t('users', 9)], 'manifest')
    expect(r.failures).toEqual(['table public.users: 9 rows restored, the manifest recorded 10'])
  })

  it('only notes row counts that differ from the live database, since data moved on', () => {
    const r = compareTables([t('users', 12)], [t('users', 10)], 'live')
    expect(r.failures).toEqual([])
    expect(r.notes).toEqual(['table public.users: 10 rows in the backup, 12 in the live database now'])
  })

  it('notes restored tables nobody expected without failing', () => {
    const r = compareTables([t('users', 1)], [t('users', 1), t('old', 3)], 'live')
    expect(r.failures).toEqual([])
    expect(r.notes).toEqual(['table public.old was restored with 3 rows but it is no longer in the live database'])
  })
})
