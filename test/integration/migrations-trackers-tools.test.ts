// knex, node-pg-migrate, Kysely, TypeORM and sequelize-cli, each run for real against its own database to apply
// two of three migrations: dbsafe's reading of the tool's tracker must say what the tool's own status says.
import { spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import * as fs from 'node:fs/promises'
import { join } from 'node:path'
import knexFactory from 'knex'
import { FileMigrationProvider, Kysely, Migrator, PostgresDialect } from 'kysely'
import { runner } from 'node-pg-migrate'
import pg from 'pg'
import 'reflect-metadata'
import { DataSource, MigrationExecutor } from 'typeorm'
import { afterAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../support/db'
import { dbsafeStatus, sourcesIn, tempDir } from '../support/trackers'

type Db = Awaited<ReturnType<typeof createTestDatabase>>
const TWO_APPLIED = ['applied', 'applied', 'pending']
const isModule = (name: string) => /\.(c?js|mjs)$/.test(name)

describe('trackers of migration tools, against the tools themselves', () => {
  const dbs: Db[] = []
  const database = async (label: string) => {
    const db = await createTestDatabase(label)
    dbs.push(db)
    return db
  }
  afterAll(async () => { await Promise.all(dbs.map((db) => db.drop())) })

  it('knex: applied and pending as knex migrate.list() says, ids are file names with extension', async () => {
    const db = await database('trk_knex')
    const dir = await tempDir('knex')
    const migration = (table: string) => `exports.up = (knex) => knex.schema.createTable('${table}', (t) => { t.increments() })\nexports.down = (knex) => knex.schema.dropTable('${table}')\n`
    await fs.writeFile(join(dir, '20240101000000_users.js'), migration('users'))
    await fs.writeFile(join(dir, '20240102000000_orders.js'), migration('orders'))
    const knex = knexFactory({ client: 'pg', connection: db.url, migrations: { directory: dir } })
    try {
      await knex.migrate.latest()
      await fs.writeFile(join(dir, '20240103000000_items.js'), migration('items'))
      const [completed, pending] = await knex.migrate.list() as [{ name: string }[], { file: string }[]]
      const own = toolStatus(completed.map((c) => c.name), pending.map((p) => p.file))
      const sources = await sourcesIn(dir, isModule)
      expect(Object.keys(own)).toEqual(['20240101000000_users.js', '20240102000000_orders.js', '20240103000000_items.js'])
      expect(Object.values(own)).toEqual(TWO_APPLIED)
      expect(await dbsafeStatus(db.pool, 'knex', dir, sources)).toEqual(own)
    } finally {
      await knex.destroy()
    }
  })

  it('node-pg-migrate: applied and pending as its runner (dry run) says, ids are file names without extension', async () => {
    const db = await database('trk_npm')
    const dir = await tempDir('node-pg-migrate')
    const migration = (table: string) => `exports.up = (pgm) => { pgm.createTable('${table}', { id: 'id' }) }\n`
    await fs.writeFile(join(dir, '1700000000001_users.js'), migration('users'))
    await fs.writeFile(join(dir, '1700000000002_orders.js'), migration('orders'))
    const client = new pg.Client(db.url)
    await client.connect()
    try {
      const options = { dbClient: client, dir, direction: 'up' as const, migrationsTable: 'pgmigrations', log: () => {} }
      const ran = (await runner(options)).map((m) => m.name)
      await fs.writeFile(join(dir, '1700000000003_items.js'), migration('items'))
      // It has no status command: what it ran, and what a dry run says it would run now.
      const own = toolStatus(ran, (await runner({ ...options, dryRun: true })).map((m) => m.name))
      expect(own).toEqual({ '1700000000001_users': 'applied', '1700000000002_orders': 'applied', '1700000000003_items': 'pending' })
      expect(await dbsafeStatus(db.pool, 'node-pg-migrate', dir, await sourcesIn(dir, isModule))).toEqual(own)
    } finally {
      await client.end()
    }
  })

  it('Kysely: applied and pending as migrator.getMigrations() says', async () => {
    const db = await database('trk_kysely')
    const dir = await tempDir('kysely')
    const migration = (table: string) => `export async function up(db) { await db.schema.createTable('${table}').addColumn('id', 'integer').execute() }\n`
    await fs.writeFile(join(dir, '2024_01_users.mjs'), migration('users'))
    await fs.writeFile(join(dir, '2024_02_orders.mjs'), migration('orders'))
    const kysely = new Kysely({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: db.url, max: 2 }) }) })
    try {
      const migrator = new Migrator({ db: kysely, provider: new FileMigrationProvider({ fs, path: await import('node:path'), migrationFolder: dir }) })
      const { error } = await migrator.migrateToLatest()
      expect(error).toBeUndefined()
      await fs.writeFile(join(dir, '2024_03_items.mjs'), migration('items'))
      const info = await migrator.getMigrations()
      const own = Object.fromEntries(info.map((m) => [m.name, m.executedAt ? 'applied' : 'pending']))
      expect(Object.values(own)).toEqual(TWO_APPLIED)
      expect(await dbsafeStatus(db.pool, 'kysely', dir, await sourcesIn(dir, isModule))).toEqual(own)
    } finally {
      await kysely.destroy()
    }
  })

  it('TypeORM: applied and pending as its MigrationExecutor says, ids are the class names its generator writes', async () => {
    const db = await database('trk_typeorm')
    const dir = await tempDir('typeorm')
    // The real generator: `typeorm migration:create <dir>/add-users_table -o -t <ms>` writes `<ms>-add-users_table.js`
    // holding class AddUsersTable<ms>, the name TypeORM records and dbsafe must derive from the file name.
    const create = (name: string, timestamp: number) => {
      const res = spawnSync(process.execPath, [createRequire(import.meta.url).resolve('typeorm/cli.js'), 'migration:create', join(dir, name), '-o', '-t', String(timestamp)], { encoding: 'utf8' })
      expect(res.status, res.stderr).toBe(0)
    }
    create('add-users_table', 1700000000001)
    create('CreateOrders', 1700000000002)
    const source = () => new DataSource({ type: 'postgres', url: db.url, migrations: [join(dir, '*.js')], logging: false })
    const first = await source().initialize()
    await first.runMigrations()
    await first.destroy()
    create('items', 1700000000003)
    const second = await source().initialize()
    try {
      const executor = new MigrationExecutor(second)
      const own = toolStatus((await executor.getExecutedMigrations()).map((m) => m.name), (await executor.getPendingMigrations()).map((m) => m.name))
      expect(own).toEqual({ AddUsersTable1700000000001: 'applied', CreateOrders1700000000002: 'applied', Items1700000000003: 'pending' })
      expect(await second.showMigrations()).toBe(true)
      expect(await dbsafeStatus(db.pool, 'typeorm', dir, await sourcesIn(dir, isModule))).toEqual(own)
    } finally {
      await second.destroy()
    }
  })

  it('sequelize-cli: applied and pending as `sequelize-cli db:migrate:status` prints, ids are file names with extension', async () => {
    const db = await database('trk_sequelize')
    const dir = await tempDir('sequelize')
    await fs.mkdir(join(dir, 'migrations'))
    // The URL stays in the environment: the config names the variable, as sequelize-cli's use_env_variable does.
    await fs.writeFile(join(dir, 'config.js'), `module.exports = { production: { use_env_variable: 'DATABASE_URL', dialect: 'postgres', logging: false } }\n`)
    const migration = (table: string) => `module.exports = { up: (q, S) => q.createTable('${table}', { id: { type: S.INTEGER, primaryKey: true } }), down: (q) => q.dropTable('${table}') }\n`
    await fs.writeFile(join(dir, 'migrations', '20240101000000-create-users.js'), migration('users'))
    await fs.writeFile(join(dir, 'migrations', '20240102000000-create-orders.js'), migration('orders'))
    const cli = (command: string) => {
      const res = spawnSync(process.execPath, [createRequire(import.meta.url).resolve('sequelize-cli/lib/sequelize'), command, '--config', join(dir, 'config.js'), '--migrations-path', join(dir, 'migrations')],
        { cwd: dir, env: { ...process.env, NODE_ENV: 'production', DATABASE_URL: db.url }, encoding: 'utf8' })
      expect(res.status, res.stderr).toBe(0)
      return res.stdout
    }
    cli('db:migrate')
    await fs.writeFile(join(dir, 'migrations', '20240103000000-create-items.js'), migration('items'))
    const own = Object.fromEntries([...cli('db:migrate:status').matchAll(/^(up|down) (\S+)$/gm)].map(([, state, name]) => [name, state === 'up' ? 'applied' : 'pending']))
    expect(Object.values(own)).toEqual(TWO_APPLIED)
    const migrationsDir = join(dir, 'migrations')
    expect(await dbsafeStatus(db.pool, 'sequelize', migrationsDir, await sourcesIn(migrationsDir, isModule))).toEqual(own)
  })
})

/** A tool's applied and pending ids as one id → status record, applied first. */
function toolStatus(applied: string[], pending: string[]): Record<string, string> {
  const entries = [...applied.map((id) => [id, 'applied']), ...pending.map((id) => [id, 'pending'])]
  return Object.fromEntries(entries)
}
