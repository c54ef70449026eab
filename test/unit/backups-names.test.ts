import { describe, expect, it } from 'vitest'
import { consoleBackupName, isBackupId, parseBackupName } from '../../server/backups/names'

describe('backup names', () => {
  it.each([
    ['db_backup_20250301_020000.sql', false, { format: 'plain', origin: 'seed', partial: false, createdAt: '2025-03-01T02:00:00.000Z' }],
    ['db_backup_20250301_020000.sql.gz', false, { format: 'plain-gzip', origin: 'seed', partial: false, createdAt: '2025-03-01T02:00:00.000Z' }],
    ['dbsafe_production_20250301T143015Z.dump', false, { format: 'custom', origin: 'console', target: 'production', createdAt: '2025-03-01T14:30:15.000Z' }],
    ['dbsafe_staging-eu_20250301T143015Z.sql', false, { format: 'plain', origin: 'console', target: 'staging-eu' }],
    ['dbsafe_main_20250301T143015Z.sql.gz', false, { format: 'plain-gzip', origin: 'console' }],
    ['dbsafe_main_20250301T143015Z', true, { format: 'directory', origin: 'console', createdAt: '2025-03-01T14:30:15.000Z' }],
    ['dbsafe_main_20250301T143015Z.dump.partial', false, { format: 'custom', partial: true, createdAt: '2025-03-01T14:30:15.000Z' }],
    ['dbsafe_main_20250301T143015Z.partial', true, { format: 'directory', partial: true }],
    ['nightly.dump', false, { format: 'custom', origin: 'other', createdAt: null }],
    ['pg_dump_dir', true, { format: 'directory', origin: 'other', createdAt: null }],
    // `pg_dump -Fd -f nightly.dump` makes a directory: what is inside (toc.dat) decides, not the name.
    ['nightly.dump', true, { format: 'directory', origin: 'other' }],
  ])('recognises %s (directory: %s)', (name, isDirectory, expected) => {
    const parsed = parseBackupName(name, isDirectory)
    expect(parsed).not.toBeNull()
    expect({ ...parsed, createdAt: parsed!.createdAt?.toISOString() ?? null }).toMatchObject(expected)
  })

  it.each([
    ['notes.txt', false],
    ['random.sql', false],
    ['db_backup_2025_0301.sql', false],
    ['db_backup_20250301_020000.sql.bak', false],
    ['dbsafe_main_20250301T143015Z.dump.manifest.json', false],
    ['.dbsafe_main_20250301T143015Z.dump.manifest.json.tmp', false],
    ['something.partial', false],
    ['nightly.dump.partial', false],
    ['has space.dump', false],
  ])('ignores %s (directory: %s)', (name, isDirectory) => {
    expect(parseBackupName(name, isDirectory)).toBeNull()
  })

  it('reads a stamp that is no real date as no date, so the file mtime is used instead', () => {
    expect(parseBackupName('db_backup_20251399_250000.sql', false)).toMatchObject({ format: 'plain', createdAt: null })
  })

  it('names console backups with a UTC stamp that parses back to the same second', () => {
    const at = new Date('2025-03-01T14:30:15.678Z')
    expect(consoleBackupName('main', at, 'custom')).toBe('dbsafe_main_20250301T143015Z.dump')
    expect(consoleBackupName('main', at, 'plain-gzip')).toBe('dbsafe_main_20250301T143015Z.sql.gz')
    expect(consoleBackupName('main', at, 'directory')).toBe('dbsafe_main_20250301T143015Z')
    for (const format of ['custom', 'plain', 'plain-gzip', 'directory'] as const) {
      const parsed = parseBackupName(consoleBackupName('main', at, format), format === 'directory')
      expect(parsed).toMatchObject({ format, origin: 'console', target: 'main', createdAt: new Date('2025-03-01T14:30:15Z') })
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
