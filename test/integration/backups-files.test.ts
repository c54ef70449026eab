import { linkSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isUsable } from '~contract/backups'
import { listBackups } from '~server/backups/inventory'
import { consoleBackupName } from '~server/backups/names'
import { HardLinkedBackupError, resolveBackup } from '~server/backups/paths'
import { takeBackup } from '~server/backups/take'
import type { TargetConfig } from '~server/config/schema'
import { createConsoleDatabase } from '../support/db'
import { createTargetFixture, targetConfigFor } from '../support/fixture'
import { quiet } from '../support/jobs'

// The names a backup started within the next minute could take: a planted file must be in its way whichever it gets.
const comingNames = (target: string) => Array.from({ length: 90 }, (_, i) => consoleBackupName(target, new Date(Date.now() + (i - 2) * 1000), 'custom'))

describe('files the console writes into and serves from a backups dir others can write', () => {
  let fx: Awaited<ReturnType<typeof createTargetFixture>>
  let consoleDb: Awaited<ReturnType<typeof createConsoleDatabase>>
  let target: TargetConfig
  let dir: string
  beforeAll(async () => {
    fx = await createTargetFixture('bk_files')
    consoleDb = await createConsoleDatabase('bk_files_console')
    target = targetConfigFor(fx)
    dir = target.backupsDir
  })
  afterAll(async () => {
    await fx?.drop()
    await consoleDb?.drop()
  })
  const clear = () => { for (const f of readdirSync(dir)) rmSync(join(dir, f), { recursive: true, force: true }) }

  it('never writes through a symlink planted where the manifest is written', async () => {
    clear()
    const victim = join(fx.dir, 'victim.txt')
    writeFileSync(victim, 'precious\n')
    for (const name of comingNames('main')) symlinkSync(victim, join(dir, `.${name}.manifest.json.tmp`))
    const manifest = await takeBackup(target, {}, quiet, 'alice')
    expect(readFileSync(victim, 'utf8')).toBe('precious\n')
    expect(JSON.parse(readFileSync(join(dir, `${manifest.file}.manifest.json`), 'utf8')).sha256).toBe(manifest.sha256)
  })

  it('a backup that fails writing its manifest leaves no dump that lists as usable', async () => {
    clear()
    // Where each manifest would go, a non-empty directory: the manifest cannot land, as on a disk that just filled up.
    for (const name of comingNames('main')) {
      mkdirSync(join(dir, `${name}.manifest.json`))
      writeFileSync(join(dir, `${name}.manifest.json`, 'x'), '')
    }
    await expect(takeBackup(target, {}, quiet, 'alice')).rejects.toThrow()
    expect(readdirSync(dir).filter((f) => !f.endsWith('.manifest.json'))).toEqual([])
    expect((await listBackups(consoleDb.pool, target)).filter(isUsable)).toEqual([])
  })

  it('refuses to serve a hard-linked file, saying why', async () => {
    clear()
    const manifest = await takeBackup(target, {}, quiet, 'alice')
    expect(await resolveBackup(target, manifest.file)).toBe(join(dir, manifest.file))
    // Someone with write access links a file in (here the dump itself, under a second name).
    linkSync(join(dir, manifest.file), join(dir, 'planted.dump'))
    const refused = await resolveBackup(target, 'planted.dump').catch((err: Error) => err)
    expect(refused).toBeInstanceOf(HardLinkedBackupError)
    expect((refused as Error).message).toContain('hard-linked')
    await expect(resolveBackup(target, manifest.file)).rejects.toBeInstanceOf(HardLinkedBackupError)
  })
})
