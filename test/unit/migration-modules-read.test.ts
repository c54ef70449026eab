import { describe, expect, it } from 'vitest'
import { isMigrationModule, migrationLanguage } from '~server/migrations/modules/files'
import { readMigrationModule } from '~server/migrations/modules/read'

describe('which files are migration modules', () => {
  it.each([
    ['001_init.ts', true], ['001_init.mts', true], ['001_init.cts', true], ['001_init.js', true], ['001_init.mjs', true], ['001_init.cjs', true],
    ['types.d.ts', false], ['types.d.mts', false], ['001_init.sql', false], ['README.md', false], ['001_init.tsx', false],
  ])('%s → %s', (name, expected) => {
    expect(isMigrationModule(name)).toBe(expected)
  })

  it.each([
    ['001.sql', 'sql'], ['001.ts', 'typescript'], ['001.mts', 'typescript'], ['001.cts', 'typescript'], ['001.js', 'javascript'], ['001.mjs', 'javascript'], ['001.cjs', 'javascript'],
  ])('highlights %s as %s', (name, language) => {
    expect(migrationLanguage(name)).toBe(language)
  })
})

describe('the id a module registers', () => {
  it.each([
    ['export default of an object', `export default { id: '001_config_table', async up(db) {} }`, 'a.ts'],
    ['an exported const, then export default of it', `import type { Migration } from './types'\nexport const migration: Migration = { id: '001_config_table', async up(db) {} }\nexport default migration`, 'a.ts'],
    ['an exported const "as const"', `export const migration = { id: '001_config_table' } as const`, 'a.ts'],
    ['export default … satisfies', 'export default { id: `001_config_table`, up: async () => {} } satisfies Migration', 'a.ts'],
    ['a local const exported by export default', `const m = { id: '001_config_table' }\nexport default m`, 'a.ts'],
    ['a local const in export { m as default }', `const m = { id: '001_config_table' }\nexport { m as default }`, 'a.mts'],
    ['module.exports = {…}', `module.exports = { id: '001_config_table', async up(db) {} }`, 'a.cjs'],
    ['module.exports = a local const', `const m = { id: '001_config_table' }\nmodule.exports = m`, 'a.js'],
    ['exports.migration = {…}', `exports.migration = { 'id': "001_config_table" }`, 'a.js'],
  ])('reads %s', (_shape, source, file) => {
    expect(readMigrationModule(source, file).moduleId).toBe('001_config_table')
  })

  it('is the id, not the file name, when they differ', () => {
    const source = `export const migration = { id: '001_config_table', description: 'config table' }\nexport default migration\n`
    expect(readMigrationModule(source, '001_init_schema.ts').moduleId).toBe('001_config_table')
  })

  it.each([
    ['no exported object has an id', `export default { description: 'x', async up() {} }`],
    ['the object with an id is not exported', `const m = { id: '001_a' }\nexport const up = () => m`],
    ['two exported objects have ids', `export const a = { id: '001_a' }\nexport const b = { id: '001_b' }`],
    ['the id is computed at run time', 'const n = 1\nexport default { id: `00${n}_a` }'],
    ['the id is not a string', `export default { id: 1 }`],
  ])('is absent when %s', (_case, source) => {
    expect(readMigrationModule(source, 'a.ts').moduleId).toBeUndefined()
  })
})

describe('the class a TypeORM migration exports', () => {
  it('is its name property', () => {
    const source = `import { MigrationInterface, QueryRunner } from 'typeorm'\n\nexport class CreateUsers implements MigrationInterface {\n  name = 'CreateUsers1700000000000'\n  public async up(queryRunner: QueryRunner): Promise<void> {}\n}\n`
    expect(readMigrationModule(source, '1700000000000-CreateUsers.ts').className).toBe('CreateUsers1700000000000')
  })

  it.each([
    ['export class', `export class CreateUsers1700000000000 { async up(q) {} }`],
    ['export default class', `export default class CreateUsers1700000000000 { async up(q) {} }`],
    ['module.exports = class', `module.exports = class CreateUsers1700000000000 { async up(q) {} }`],
  ])('is the class name without one (%s)', (_shape, source) => {
    expect(readMigrationModule(source, 'a.js').className).toBe('CreateUsers1700000000000')
  })
})

describe('a module that does not parse', () => {
  it('says where, and reads nothing when the parser gives up', () => {
    const result = readMigrationModule(`export const migration = {\n  id: '001_a',\n  async up(db) { await db.exec('DROP TABLE a') ,, }\n}\n`, 'a.ts')
    expect(result.parseError).toMatchObject({ line: 3 })
    expect(result.parseError!.message).not.toMatch(/\(\d+:\d+\)$/)
  })

  it('is read as TypeScript only with a TypeScript extension', () => {
    const source = `export const migration: { id: string } = { id: '001_a' }`
    expect(readMigrationModule(source, 'a.ts').parseError).toBeUndefined()
    expect(readMigrationModule(source, 'a.js').parseError).toBeDefined()
  })
})
