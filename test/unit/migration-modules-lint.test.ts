import { describe, expect, it } from 'vitest'
import type { LintFinding } from '~contract/migrations'
import { lintMigrationModule } from '~server/migrations/modules/lint'

/** The 1-based line of the one place `needle` occurs in the fixture. */
function lineOf(source: string, needle: string): number {
  const at = source.indexOf(needle)
  if (at < 0 || source.includes(needle, at + 1)) throw new Error(`"${needle}" must occur exactly once in the fixture`)
  return source.slice(0, at).split('\n').length
}

const brief = (findings: LintFinding[]) => findings.map((f) => [f.rule, f.line, f.phase])

// The shape of the app the issue describes: a loop over table names, a log line, SQL in comments.
const APP = `import type { Migration } from './types'
const tables = ['events', 'posts']
export const migration: Migration = {
  id: '001_config_table',
  description: 'Drop legacy flags and add config',
  async up(db) {
    // DROP TABLE users is never done here
    /* DELETE FROM events; nor this */
    await db.exec(\`CREATE TABLE crearis_config (id int PRIMARY KEY, config jsonb NOT NULL)\`)
    await db.exec(\`CREATE INDEX crearis_config_gin ON crearis_config USING gin (config)\`)
    for (const table of tables) {
      console.log(\`Dropping legacy column on \${table}\`)
      await db.exec(\`ALTER TABLE \${table} DROP COLUMN IF EXISTS legacy_flag\`)
    }
  },
  async down(db) {
    await db.exec('DROP TABLE crearis_config')
  },
}
export default migration
`

describe('SQL in a migration module', () => {
  it('flags a DROP COLUMN on an interpolated table in a loop, showing the template', async () => {
    const findings = await lintMigrationModule(APP, '001_init_schema.ts')
    const drop = findings.find((f) => f.rule === 'drop-column')
    expect(drop).toMatchObject({ severity: 'destructive', line: lineOf(APP, 'ALTER TABLE ${table}'), phase: 'up', statement: 'ALTER TABLE ${table} DROP COLUMN IF EXISTS legacy_flag' })
    expect(drop!.message).toContain('${table}')
    expect(drop!.message).not.toContain('dbsafe_')
    expect(drop!.tables).toBeUndefined()
  })

  it('reports every finding at its module line and phase, and nothing for comments and log lines', async () => {
    expect(brief(await lintMigrationModule(APP, '001_init_schema.ts'))).toEqual([
      ['non-idempotent-create-table', lineOf(APP, 'CREATE TABLE crearis_config'), 'up'],
      ['non-idempotent-create-index', lineOf(APP, 'CREATE INDEX crearis_config_gin'), 'up'],
      ['drop-column', lineOf(APP, 'ALTER TABLE ${table}'), 'up'],
      ['drop-table', lineOf(APP, 'DROP TABLE crearis_config'), 'down'],
    ])
  })

  it('keeps lines right with CRLF line endings', async () => {
    const crlf = APP.replace(/\n/g, '\r\n')
    expect(brief(await lintMigrationModule(crlf, '001_init_schema.ts'))).toEqual(brief(await lintMigrationModule(APP, '001_init_schema.ts')))
  })

  it('lets statements of one phase see each other, and not those of the other phase', async () => {
    const source = `export async function down(db) {
  await db.exec('CREATE TABLE IF NOT EXISTS b (id int)')
}
export async function up(db) {
  await db.exec('CREATE TABLE IF NOT EXISTS a (id int)')
  await db.exec('CREATE INDEX IF NOT EXISTS a_id ON a (id)')
  await db.exec('CREATE INDEX IF NOT EXISTS b_id ON b (id)')
}
`
    expect(brief(await lintMigrationModule(source, 'm.ts'))).toEqual([['create-index-non-concurrent', lineOf(source, 'b_id ON b'), 'up']])
  })

  it('marks SQL outside up and down with a null phase', async () => {
    const source = `const DROP_OLD = 'DROP TABLE old_events'\nexport async function up(db) {\n  await db.exec(DROP_OLD)\n}\n`
    expect(brief(await lintMigrationModule(source, 'm.ts'))).toEqual([['drop-table', 1, null]])
  })

  it('never lints log lines, error messages, descriptions, ids or import paths', async () => {
    const source = `import drop from './drop-users'
export const migration = { id: 'drop_users', description: 'Drop legacy column', label: 'update failed for some rows' }
export async function up(db, logger) {
  logger.info('DROP TABLE legacy is next')
  this.log.warn(\`TRUNCATE \${t} skipped\`)
  console.error("DELETE FROM sessions failed")
  if (!db) throw new Error('DROP TABLE refused: no backup')
  const e = new MigrationError(\`UPDATE \${t} failed\`)
  await import('./update-users')
}
`
    expect(await lintMigrationModule(source, 'm.ts')).toEqual([])
  })

  it('multi-line templates: lines inside the template, and allow comments keep working', async () => {
    const source = `export const migration = {
  id: '002_replace_a',
  async up(db) {
    await db.exec(\`
      CREATE TABLE IF NOT EXISTS b (id int);
      -- dbsafe:allow drop-table replaced by b, archived in 2023
      DROP TABLE a;
      TRUNCATE c;
    \`)
  },
}
`
    const findings = await lintMigrationModule(source, 'm.ts')
    expect(brief(findings)).toEqual([['drop-table', lineOf(source, 'DROP TABLE a'), 'up'], ['truncate', lineOf(source, 'TRUNCATE c'), 'up']])
    expect(findings[0].acknowledged).toEqual({ reason: 'replaced by b, archived in 2023' })
  })

  it('keeps a string with "\\n" escapes on its own line, and the next call on its own', async () => {
    const source = `exports.up = async (knex) => {
  await knex.raw('CREATE TABLE IF NOT EXISTS a (id int);\\nDROP TABLE b')
  await knex.raw('DELETE FROM c')
}
`
    expect(brief(await lintMigrationModule(source, 'm.js'))).toEqual([
      ['drop-table', lineOf(source, 'DROP TABLE b'), 'up'],
      ['delete-without-where', lineOf(source, 'DELETE FROM c'), 'up'],
    ])
  })
})

describe('interpolations', () => {
  const source = `export async function up(db) {
  await db.exec(\`CREATE TABLE \${ifNotExists} audit (id int)\`)
  await db.exec(\`INSERT INTO audit (id) VALUES \${rows}\`)
  await db.exec(\`DROP TABLE \${schema}.\${table}\`)
  await db.exec(\`UPDATE accounts SET note = '\${note}', n = \${n}\`)
}
`
  it.each([
    ['a missing clause', 'non-idempotent-create-table', 'CREATE TABLE ${ifNotExists} audit (id int)'],
    ['a list of rows', 'insert-without-on-conflict', 'INSERT INTO audit (id) VALUES ${rows}'],
    ['a schema and a table', 'drop-table', 'DROP TABLE ${schema}.${table}'],
    // Not audit: the module creates that table, so an UPDATE of all its rows loses nothing.
    ['values, quoted and bare', 'update-without-where', "UPDATE accounts SET note = '${note}', n = ${n}"],
  ])('stand in for %s and come back in the statement', async (_what, rule, statement) => {
    const findings = await lintMigrationModule(source, 'm.ts')
    expect(findings.find((f) => f.rule === rule)).toMatchObject({ statement, line: lineOf(source, statement) })
    expect(findings.map((f) => f.rule)).not.toContain('embedded-sql-unparsed')
  })
})

describe('what cannot be read', () => {
  it('gives SQL that does not parse one info finding at its line, and lints the rest', async () => {
    const source = `export async function up(db) {
  await db.exec(\`
    CREATE TABLE IF NOT EXISTS a (id int);
    ALTER TABEL a ADD COLUMN b int;
  \`)
  await db.exec('DROP TABLE z')
}
`
    const findings = await lintMigrationModule(source, 'm.ts')
    expect(brief(findings)).toEqual([['embedded-sql-unparsed', lineOf(source, 'ALTER TABEL'), 'up'], ['drop-table', lineOf(source, 'DROP TABLE z'), 'up']])
    expect(findings[0]).toMatchObject({ severity: 'info' })
    expect(findings[0].message).toContain('syntax error at or near "TABEL"')
    expect(findings.map((f) => f.rule)).not.toContain('parse-error')
  })

  it('says so when the module does not parse, at its line, without blocking', async () => {
    const source = `export const migration = {\n  id: '003',\n  async up(db) { await db.exec('DROP TABLE a') ,, }\n}\n`
    const findings = await lintMigrationModule(source, 'm.ts')
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ rule: 'module-parse-error', severity: 'warning', line: 3 })
    expect(findings[0].message).toContain('TypeScript')
  })

  it('reads TypeScript syntax in a .js file as an error', async () => {
    const findings = await lintMigrationModule(`export async function up(db: Db) {\n  await db.exec('DROP TABLE a')\n}\n`, 'm.js')
    expect(findings[0]).toMatchObject({ rule: 'module-parse-error', line: 1 })
  })

  it('does not blow up on a huge module or one nested deeper than the parser goes', async () => {
    const calls = Array.from({ length: 5000 }, (_, i) => `  await db.exec(\`UPDATE t${i} SET a = 1\`)`)
    const huge = `export async function up(db) {\n${calls.join('\n')}\n}\n`
    const findings = await lintMigrationModule(huge, 'm.ts')
    expect(findings).toHaveLength(5000)
    expect(findings.at(-1)).toMatchObject({ rule: 'update-without-where', line: lineOf(huge, 'UPDATE t4999 '), statement: 'UPDATE t4999 SET a = 1' })

    const deep = `export const up = (db) => db.exec(${'['.repeat(50000)}${']'.repeat(50000)})\n`
    expect(await lintMigrationModule(deep, 'm.ts')).toMatchObject([{ rule: 'module-parse-error', line: 1 }])
  })
})

describe('the shapes migration tools write', () => {
  const shapes: [string, string, string, [string, string, 'up' | 'down'][]][] = [
    ['knex', 'm.js', `exports.up = async function (knex) {
  await knex.raw('CREATE TABLE IF NOT EXISTS users (id bigint PRIMARY KEY)')
  await knex.schema.raw(\`ALTER TABLE orders DROP COLUMN note\`)
}
exports.down = function (knex) {
  return knex.raw('DROP TABLE users')
}
`, [['drop-column', 'DROP COLUMN note', 'up'], ['drop-table', 'DROP TABLE users', 'down']]],
    ['Kysely', 'm.ts', `import { Kysely, sql } from 'kysely'
export async function up(db: Kysely<any>): Promise<void> {
  await sql\`UPDATE users SET active = true\`.execute(db)
}
export async function down(db: Kysely<any>): Promise<void> {
  await sql\`DROP TABLE users\`.execute(db)
}
`, [['update-without-where', 'UPDATE users', 'up'], ['drop-table', 'DROP TABLE users', 'down']]],
    ['TypeORM', 'm.ts', `import { MigrationInterface, QueryRunner } from 'typeorm'
export class RenameUserName1700000000000 implements MigrationInterface {
  name = 'RenameUserName1700000000000'
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`ALTER TABLE "user" RENAME COLUMN "name" TO "full_name"\`)
  }
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`ALTER TABLE "user" DROP COLUMN "full_name"\`)
  }
}
`, [['rename', 'RENAME COLUMN', 'up'], ['drop-column', 'DROP COLUMN "full_name"', 'down']]],
    ['Sequelize', 'm.cjs', `'use strict'
/** @type {import('sequelize-cli').Migration} */
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.sequelize.query('TRUNCATE sessions')
  },
  async down(queryInterface) {
    await queryInterface.sequelize.query('DROP TABLE sessions')
  },
}
`, [['truncate', 'TRUNCATE sessions', 'up'], ['drop-table', 'DROP TABLE sessions', 'down']]],
    ['node-pg-migrate', 'm.js', `/** @type {import('node-pg-migrate').ColumnDefinitions | undefined} */
exports.shorthands = undefined
exports.up = (pgm) => {
  pgm.sql('DELETE FROM audit_log')
}
exports.down = (pgm) => { pgm.sql(\`DROP TABLE audit_log\`) }
`, [['delete-without-where', 'DELETE FROM audit_log', 'up'], ['drop-table', 'DROP TABLE audit_log', 'down']]],
  ]

  it.each(shapes)('%s', async (_tool, file, source, expected) => {
    const findings = await lintMigrationModule(source, file)
    expect(brief(findings.filter((f) => f.severity !== 'info'))).toEqual(expected.map(([rule, needle, phase]) => [rule, lineOf(source, needle), phase]))
  })

  it('puts two calls on one line both at that line', async () => {
    const source = `export async function up(db) {\n  await db.exec('DROP TABLE a'); await db.exec('TRUNCATE b')\n}\n`
    expect(brief(await lintMigrationModule(source, 'm.ts'))).toEqual([['drop-table', 2, 'up'], ['truncate', 2, 'up']])
  })

  it('takes a module that stores many migrations (pg-boss) as many: a column added by one and dropped by a later one is still a loss', async () => {
    const source = [
      'function migrations(schema) {',
      '  return [',
      '    { version: 2, install: [`ALTER TABLE ${schema}.job ADD COLUMN keepuntil timestamptz`] },',
      '    { version: 9, install: [`ALTER TABLE ${schema}.job DROP COLUMN keepuntil`] },',
      '  ]',
      '}',
    ].join('\n')
    const findings = await lintMigrationModule(source, 'migrationStore.js')
    expect(findings.filter((f) => f.rule === 'drop-column').map((f) => f.line)).toEqual([lineOf(source, 'DROP COLUMN keepuntil')])
  })

  it('reads the same interpolation as the same name: a backfill of a column added on `${prefix}table` is not a loss', async () => {
    const source = [
      'export class Keys1690000000000 {',
      '  async up(queryRunner) {',
      '    await queryRunner.query(`ALTER TABLE ${tablePrefix}workflows_tags ADD COLUMN "tagId" varchar(36);`)',
      '    await queryRunner.query(`UPDATE ${tablePrefix}workflows_tags SET "tagId" = "tmp_tagId"::text;`)',
      '    await queryRunner.query(`UPDATE ${tablePrefix}other SET "tagId" = NULL;`)',
      '  }',
      '}',
    ].join('\n')
    const findings = await lintMigrationModule(source, '1690000000000-Keys.ts')
    expect(findings.filter((f) => f.rule === 'update-without-where').map((f) => f.statement)).toEqual(['UPDATE ${tablePrefix}other SET "tagId" = NULL'])
  })
})
