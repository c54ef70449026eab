import { describe, expect, it } from 'vitest'
import { consoleBackupName, consoleFormat, isBackupId, parseBackupName } from '~server/backups/names'

describe('backup names', () => {
  it.each([
    ['db_backup_20250301_020000.sql', { origin: 'seed', partial: false, createdAt: '2025-03-01T02:00:00.000Z' }],
    ['db_backup_20250301_020000.sql.gz', { origin: 'seed', createdAt: '2025-03-01T02:00:00.000Z' }],
    ['db_backup_pre_deployment_20261130_101500.sql.gz', { origin: 'seed', label: 'pre_deployment', createdAt: '2026-11-30T10:15:00.000Z' }],
    ['backup_20261130_101500.sql', { origin: 'other', createdAt: '2026-11-30T10:15:00.000Z' }],
    ['prod-2026-11-30_02-00-00.dump', { origin: 'other', createdAt: '2026-11-30T02:00:00.000Z' }],
    ['nightly_20261130T020000Z.sql.zst', { origin: 'other', createdAt: '2026-11-30T02:00:00.000Z' }],
    ['dbsafe_production_20250301T143015Z.dump', { origin: 'console', target: 'production', createdAt: '2025-03-01T14:30:15.000Z' }],
    ['dbsafe_staging-eu_20250301T143015Z.sql', { origin: 'console', target: 'staging-eu' }],
    ['dbsafe_main_20250301T143015Z.dump.partial', { partial: true, origin: 'console', createdAt: '2025-03-01T14:30:15.000Z' }],
    ['nightly.dump', { origin: 'other', createdAt: null }],
    ['x7f3a9.backup', { origin: 'other', createdAt: null }],
  ])('reads time, label and origin from %s', (name, expected) => {
    const parsed = parseBackupName(name)
    expect(parsed).not.toBeNull()
    expect({ ...parsed, createdAt: parsed!.createdAt?.toISOString() ?? null }).toMatchObject(expected)
  })

  it('has no label for names without one', () => {
    expect(parseBackupName('db_backup_20250301_020000.sql')).not.toHaveProperty('label')
  })

  it.each([
    ['dbsafe_main_20250301T143015Z.dump.manifest.json'],
    ['.dbsafe_main_20250301T143015Z.dump.manifest.json.tmp'],
    ['has space.dump'],
  ])('never takes %s for a backup', (name) => {
    expect(parseBackupName(name)).toBeNull()
  })

  it('reads a stamp that is no real date as no date, so the file mtime is used instead', () => {
    expect(parseBackupName('db_backup_20251399_250000.sql')).toMatchObject({ createdAt: null })
  })

  it('names console backups with a UTC stamp that parses back to the same second', () => {
    const at = new Date('2025-03-01T14:30:15.678Z')
    expect(consoleBackupName('main', at, 'custom')).toBe('dbsafe_main_20250301T143015Z.dump')
    expect(consoleBackupName('main', at, 'plain-gzip')).toBe('dbsafe_main_20250301T143015Z.sql.gz')
    expect(consoleBackupName('main', at, 'directory')).toBe('dbsafe_main_20250301T143015Z')
    for (const format of ['custom', 'plain', 'plain-gzip', 'directory'] as const) {
      const name = consoleBackupName('main', at, format)
      expect(parseBackupName(name)).toMatchObject({ origin: 'console', target: 'main', createdAt: new Date('2025-03-01T14:30:15Z') })
      expect(consoleFormat(name)).toBe(format)
      expect(consoleFormat(`${name}.partial`)).toBe(format)
    }
  })

  it.each([
    ['../etc/passwd'], ['..'], ['.'], ['a/b.dump'], ['/etc/passwd'], ['x.dump\0'], ['%2e%2e%2fsecret'], ['..dump'], ['a..b.dump'], [''], ['.hidden.dump'], ['back\\slash.dump'],
  ])('refuses %j as a backup id', (id) => {
    expect(isBackupId(id)).toBe(false)
  })

  it('accepts URL-safe base names as ids', () => {
    expect(isBackupId('db_backup_20250301_020000.sql.gz')).toBe(true)
    expect(isBackupId('dbsafe_main_20250301T143015Z.dump')).toBe(true)
    expect(encodeURIComponent('dbsafe_main_20250301T143015Z.dump')).toBe('dbsafe_main_20250301T143015Z.dump')
  })
})
