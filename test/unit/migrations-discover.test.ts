import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { discoverMigrations } from '~server/migrations/discover'

describe('discoverMigrations', () => {
  let dir: string
  const files: Record<string, string | Buffer> = {
    '10_b.sql': 'SELECT 10;',
    '2_a.sql': 'SELECT 2;',
    '2_b.sql': 'SELECT 2.5;',
    '001_init.sql': 'CREATE TABLE IF NOT EXISTS t (id int);\r\n',
    '20251028_add_events.sql': Buffer.from("INSERT INTO t VALUES ('é☃') ON CONFLICT DO NOTHING;\n", 'utf8'),
    'readme.sql': '-- not a migration',
    'notes.txt': 'not sql',
    '003_draft.sql.bak': 'SELECT 3;',
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dbsafe-migrations-'))
    for (const [name, content] of Object.entries(files)) await writeFile(join(dir, name), content)
    await mkdir(join(dir, '005_folder.sql'))
  })
  afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

  it('orders files by their numeric prefix as a number, ties by name', async () => {
    const { exists, files: found } = await discoverMigrations(dir)
    expect(exists).toBe(true)
    expect(found.map((f) => f.name)).toEqual(['001_init', '2_a', '2_b', '10_b', '20251028_add_events'])
  })

  it('lists .sql files without a numeric prefix as ignored', async () => {
    expect((await discoverMigrations(dir)).ignored).toEqual([{ path: 'readme.sql', reason: 'no-prefix' }])
  })

  it('reads the text and the sha256 of the exact bytes', async () => {
    const found = (await discoverMigrations(dir)).files
    for (const name of ['001_init', '20251028_add_events']) {
      const f = found.find((x) => x.name === name)!
      const bytes = Buffer.from(files[`${name}.sql`])
      expect(f.text).toBe(bytes.toString('utf8'))
      expect(f.checksum).toBe(createHash('sha256').update(bytes).digest('hex'))
    }
  })

  it('changes the checksum when a file is edited, even by one line ending', async () => {
    const before = (await discoverMigrations(dir)).files.find((f) => f.name === '2_a')!.checksum
    await writeFile(join(dir, '2_a.sql'), 'SELECT 2;\n')
    const after = (await discoverMigrations(dir)).files.find((f) => f.name === '2_a')!.checksum
    expect(after).not.toBe(before)
  })

  it('says when the directory does not exist', async () => {
    expect(await discoverMigrations(join(dir, 'nope'))).toEqual({ exists: false, files: [], ignored: [] })
  })
})

describe('discoverMigrations and symlinks', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dbsafe-migrations-links-'))
    await mkdir(join(dir, 'migrations'))
    await writeFile(join(dir, 'secret.txt'), 'DB_PASSWORD=hunter2\n')
    await writeFile(join(dir, 'migrations', '001_init.sql'), 'SELECT 1;\n')
    await symlink(join(dir, 'secret.txt'), join(dir, 'migrations', '002_peek.sql'))
  })
  afterAll(async () => { await rm(dir, { recursive: true, force: true }) })

  it('lists a symlinked migration file as ignored and never reads what it points at', async () => {
    const found = await discoverMigrations(join(dir, 'migrations'))
    expect(found.files.map((f) => f.name)).toEqual(['001_init'])
    expect(found.ignored).toEqual([{ path: '002_peek.sql', reason: 'symlink' }])
    expect(JSON.stringify(found)).not.toContain('hunter2')
  })
})
