import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { targetConfigSchema, type TargetConfig } from '~server/config/schema'
import { resolveBackup } from '~server/backups/paths'

// What pg_dump's output starts with: the bytes, not the name, make a backup.
const PLAIN = '--\n-- PostgreSQL database dump\n--\n\nSET x = 1;\n'
const CUSTOM = Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(64)])

describe('resolveBackup', () => {
  let root: string
  let target: TargetConfig
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'dbsafe-resolve-'))
    const dir = join(root, 'backups')
    mkdirSync(dir)
    writeFileSync(join(root, 'secret.dump'), CUSTOM)
    writeFileSync(join(dir, 'db_backup_20250301_020000.sql'), PLAIN)
    writeFileSync(join(dir, 'dbsafe_main_20250301T143015Z.dump'), CUSTOM)
    writeFileSync(join(dir, 'dbsafe_main_20250301T143015Z.dump.manifest.json'), '{}')
    writeFileSync(join(dir, 'dbsafe_main_20250302T143015Z.dump.partial'), 'x')
    writeFileSync(join(dir, 'notes.txt'), 'x')
    writeFileSync(join(dir, 'db_backup_20250304_020000.sql'), '-- a migration, not a dump\nCREATE TABLE t (id int);\n')
    mkdirSync(join(dir, 'dbsafe_main_20250303T143015Z'))
    writeFileSync(join(dir, 'dbsafe_main_20250303T143015Z', 'toc.dat'), CUSTOM)
    mkdirSync(join(dir, 'empty.dump'))
    symlinkSync(join(root, 'secret.dump'), join(dir, 'escape.dump'))
    symlinkSync(join(dir, 'dbsafe_main_20250301T143015Z.dump'), join(dir, 'latest.dump'))
    target = targetConfigSchema.parse({ id: 'main', label: 'Main', envFile: join(root, 'app.env'), migrationsDir: root, backupsDir: dir, retentionDays: 7 })
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('resolves backups to their absolute path inside the backups dir', async () => {
    expect(await resolveBackup(target, 'db_backup_20250301_020000.sql')).toBe(join(root, 'backups', 'db_backup_20250301_020000.sql'))
    expect(await resolveBackup(target, 'dbsafe_main_20250301T143015Z.dump')).toBe(join(root, 'backups', 'dbsafe_main_20250301T143015Z.dump'))
    expect(await resolveBackup(target, 'dbsafe_main_20250303T143015Z')).toBe(join(root, 'backups', 'dbsafe_main_20250303T143015Z'))
  })

  it.each([
    ['../secret.dump', 'traversal'],
    ['..%2fsecret.dump', 'encoded traversal is just a name that does not exist'],
    [join('/tmp', 'secret.dump'), 'absolute path'],
    ['backups/../secret.dump', 'a path with a slash'],
    ['secret.dump\0', 'NUL byte'],
    ['escape.dump', 'symlink pointing outside the backups dir'],
    ['latest.dump', 'symlink, even to a backup inside the dir'],
    ['dbsafe_main_20250301T143015Z.dump.manifest.json', 'a manifest is not a backup'],
    ['notes.txt', 'not a dump by its bytes'],
    ['db_backup_20250304_020000.sql', 'a backup-like name holding something other than a dump'],
    ['empty.dump', 'a directory without toc.dat'],
    ['dbsafe_main_20250302T143015Z.dump.partial', 'a partial file unless asked for'],
    ['missing.dump', 'does not exist'],
  ])('refuses %j (%s)', async (id) => {
    expect(await resolveBackup(target, id)).toBeNull()
  })

  it('resolves a partial file only when asked to (for pruning)', async () => {
    expect(await resolveBackup(target, 'dbsafe_main_20250302T143015Z.dump.partial', { allowPartial: true }))
      .toBe(join(root, 'backups', 'dbsafe_main_20250302T143015Z.dump.partial'))
  })

  it('refuses everything when the backups dir itself is missing', async () => {
    expect(await resolveBackup({ ...target, backupsDir: join(root, 'nope') }, 'db_backup_20250301_020000.sql')).toBeNull()
  })
})
