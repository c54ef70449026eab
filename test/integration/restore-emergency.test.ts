import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EmergencyRestoreResult } from '~contract/restore'
import { manifestPath } from '~server/backups/manifest'
import { takeBackup } from '~server/backups/take'
import { readEnvFile } from '~server/envfile/read'
import { EmergencyRestoreError, emergencyRestore } from '~server/restore/emergency'
import { dropLeftover, listRestoreLeftovers } from '~server/restore/leftovers'
import { undoRestore } from '~server/restore/undo'
import { cluster, pgDump } from '../support/db'
import { createRestoreFixture, type RestoreFixture } from '../support/restore-fixture'

const quiet = { log: () => {}, progress: () => {} }
const ROWS = 100_000

describe('emergency restore', () => {
  let fx: RestoreFixture
  let backupId: string
  const backups = () => fx.target.backupsDir

  // Owners and privileges as the catalog holds them, read independently of the code under test.
  const privileges = async () => fx.query<{ line: string }>(`
    SELECT format('database %s %s', pg_get_userbyid(d.datdba), d.datacl) AS line FROM pg_database d WHERE d.datname = current_database()
    UNION ALL SELECT format('schema %s %s %s', nspname, pg_get_userbyid(nspowner), nspacl) FROM pg_namespace WHERE nspname IN ('public', 'billing')
    UNION ALL SELECT format('rel %s.%s %s %s %s', relnamespace::regnamespace, relname, pg_get_userbyid(relowner), relacl,
      (SELECT string_agg(attname || '=' || attacl::text, ',' ORDER BY attname) FROM pg_attribute WHERE attrelid = c.oid AND attacl IS NOT NULL))
      FROM pg_class c WHERE relnamespace::regnamespace::text IN ('public', 'billing')
    UNION ALL SELECT format('proc %s %s %s', oid::regprocedure, pg_get_userbyid(proowner), proacl) FROM pg_proc WHERE pronamespace::regnamespace::text = 'billing'
    UNION ALL SELECT format('default %s %s %s %s', pg_get_userbyid(defaclrole), defaclnamespace::regnamespace, defaclobjtype, defaclacl) FROM pg_default_acl
    UNION ALL SELECT format('setting %s', setconfig) FROM pg_db_role_setting WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
    ORDER BY 1`).then((rows) => rows.map((r) => r.line))
  const count = async (table = 'public.things') => Number((await fx.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0].n)
  const leftoverDatabases = async () => (await fx.query<{ datname: string }>(
    'SELECT datname FROM pg_database WHERE starts_with(datname, $1) AND datname <> $2 ORDER BY 1', [`${fx.database}_`, fx.database], 'postgres')).map((r) => r.datname)
  const failure = async (run: Promise<unknown>): Promise<EmergencyRestoreResult> => {
    const err = await run.then(() => null, (e: unknown) => e)
    expect(err).toBeInstanceOf(EmergencyRestoreError)
    return (err as EmergencyRestoreError).result
  }
  // The live database is the one it was: same rows, no restore database left behind.
  const expectUntouched = async (liveRows: number) => {
    expect(await count()).toBe(liveRows)
    expect((await leftoverDatabases()).filter((n) => n.includes('_restore_') && !n.includes('_before_restore_'))).toEqual([])
  }

  beforeAll(async () => {
    fx = await createRestoreFixture(ROWS)
    backupId = (await takeBackup(fx.target, { databaseUrl: fx.target.backupDatabaseUrl }, quiet, 'test')).file
  }, 120_000)
  afterAll(async () => { await fx?.cleanup() })

  it.each([
    ['a superuser', () => Promise.resolve(cluster().adminUrl), /Refusing to restore as "postgres".*is a superuser.*restoreDatabaseUrl/],
    ['a role with CREATEROLE', () => fx.login('createrole', (r) => `ALTER ROLE ${r} CREATEDB CREATEROLE; GRANT ${fx.owner} TO ${r}`), /has CREATEROLE/],
    ['a role that cannot act as the owner', () => fx.login('stranger', (r) => `ALTER ROLE ${r} CREATEDB`),
      /cannot act as "er\w+_owner".*GRANT "er\w+_owner" TO "er\w+_stranger";/],
  ])('refuses %s as the restore role before changing anything', async (_what, url, reason) => {
    const result = await failure(emergencyRestore(fx.target, backupId, { restoreDatabaseUrl: await url() }, quiet))
    expect(result.error).toMatch(reason)
    expect(result.steps.map((s) => s.status)).toEqual(['failed', 'not-run', 'not-run', 'not-run', 'not-run', 'not-run', 'not-run'])
    expect(readEnvFile(fx.target.envFile).values.SKIP_MIGRATIONS).toBe('false')
    await expectUntouched(ROWS)
  })

  it.each([
    ['a cut-off custom dump', 'db_backup_20260101_010000.dump', () => pgDump(fx.database, ['-Fc']).subarray(0, 40_000), /pg_restore failed/],
    ['a plain dump that fails half way', 'db_backup_20260101_020000.sql',
      () => pgDump(fx.database).toString().replace('\nCOPY billing.invoices', '\nINSERT INTO no_such_table VALUES (1);\nCOPY billing.invoices'), /no_such_table/],
  ])('a bad dump (%s) fails at the restore, drops the copy and leaves the live database serving', async (_what, id, bytes, reason) => {
    writeFileSync(join(backups(), id), bytes())
    const result = await failure(emergencyRestore(fx.target, id, {}, quiet))
    expect(result.steps.find((s) => s.step === 'restore')).toMatchObject({ status: 'failed', detail: expect.stringMatching(reason) })
    expect(result.safetyBackup).not.toBeNull()
    await expectUntouched(ROWS)
  }, 60_000)

  it('counts that differ from the manifest fail before the swap', async () => {
    const copy = 'db_backup_20260101_030000.dump'
    writeFileSync(join(backups(), copy), readFileSync(join(backups(), backupId)))
    const manifest = JSON.parse(readFileSync(manifestPath(join(backups(), backupId)), 'utf8'))
    manifest.tables.find((t: { name: string }) => t.name === 'things').rows += 1
    writeFileSync(manifestPath(join(backups(), copy)), JSON.stringify({ ...manifest, file: copy }))
    const result = await failure(emergencyRestore(fx.target, copy, {}, quiet))
    expect(result.steps.find((s) => s.step === 'counts')).toMatchObject({ status: 'failed', detail: expect.stringMatching(`public.things: ${ROWS} rows restored, the manifest recorded ${ROWS + 1}`) })
    await expectUntouched(ROWS)
  }, 60_000)

  it('stopped mid-restore (the job cancelled), it drops the copy and leaves the live database serving', async () => {
    const stop = new AbortController()
    const ctx = { log: (line: string) => { if (line.startsWith('pg_restore: processing data for table')) stop.abort() }, progress: () => {} }
    const result = await failure(emergencyRestore(fx.target, backupId, { signal: stop.signal }, ctx))
    expect(result.steps.find((s) => s.step === 'restore')).toMatchObject({ status: 'failed' })
    expect(result.steps.find((s) => s.step === 'swap')).toMatchObject({ status: 'not-run' })
    await expectUntouched(ROWS)
  }, 60_000)

  it('a session the restore role may not end (a superuser\'s) blocks the swap: nothing is renamed and the copy is dropped', async () => {
    const blocker = new pg.Client(cluster().urlFor(fx.database))
    await blocker.connect()
    try {
      const result = await failure(emergencyRestore(fx.target, backupId, {}, quiet))
      expect(result.steps.find((s) => s.step === 'swap')).toMatchObject({
        status: 'failed', detail: expect.stringMatching(/1 of role postgres \(superuser\).*Nothing was renamed.*only be ended by a superuser/),
      })
      expect((await blocker.query('SELECT count(*)::int AS n FROM public.things')).rows[0].n).toBe(ROWS)
    } finally {
      await blocker.end()
    }
    await expectUntouched(ROWS)
  }, 90_000)

  it('restores 100,000 rows in place while the app reconnects in a loop, with the owners and grants it had', async () => {
    const before = await privileges()
    writeFileSync(fx.target.envFile, readFileSync(fx.target.envFile, 'utf8').replace(/^SKIP_MIGRATIONS=.*$/m, 'SKIP_MIGRATIONS=TRUE'))
    await fx.query(`DELETE FROM public.things WHERE id <= 1000; INSERT INTO public.things (name) VALUES ('after the backup')`)
    // A pooled connection that stays, and clients that reconnect as fast as they can.
    const idle = new pg.Client(fx.appUrl)
    idle.on('error', () => {})
    await idle.connect()
    let stop = false
    const loop = (async () => {
      while (!stop) {
        const c = new pg.Client(fx.appUrl)
        c.on('error', () => {})
        await c.connect().then(() => c.query('SELECT count(*) FROM public.things')).catch(() => {})
        await c.end().catch(() => {})
      }
    })()
    const result = await emergencyRestore(fx.target, backupId, { who: 'alice' }, quiet).finally(async () => { stop = true; await loop })

    expect(result).toMatchObject({ ok: true, comparedWith: 'manifest', database: fx.database, setAside: `${fx.database}_before_restore_${result.stamp}` })
    expect(result.steps.every((s) => s.status === 'ok')).toBe(true)
    expect(result.swap!.sessionsEnded).toBeGreaterThanOrEqual(1)
    await expect(idle.query('SELECT 1')).rejects.toThrow()
    expect(result.tables).toContainEqual({ schema: 'public', name: 'things', expectedRows: ROWS, restoredRows: ROWS })
    expect(result.skipMigrations).toMatchObject({ before: 'TRUE', changed: true })
    expect(readEnvFile(fx.target.envFile).values.SKIP_MIGRATIONS).toBe('true')
    expect(await count()).toBe(ROWS)
    expect(await privileges()).toEqual(before)

    const app = new pg.Client(fx.appUrl)
    await app.connect()
    try {
      await app.query(`INSERT INTO public.things (name) VALUES ('written by the app after the restore')`)
      await app.query('INSERT INTO billing.invoices (amount) VALUES (1)')
      expect((await app.query('SELECT count(*)::int AS n FROM public.thing_names')).rows[0].n).toBe(ROWS + 1)
      expect((await app.query('SELECT billing.total() > 0 AS ok')).rows[0].ok).toBe(true)
      await expect(app.query('SELECT memo FROM billing.invoices')).rejects.toThrow(/permission denied/)
    } finally {
      await app.end()
    }
    expect(await fx.query('SELECT count(*)::int AS n FROM public.things', [], result.setAside!)).toEqual([{ n: ROWS - 1000 + 1 }])
    expect(await leftoverDatabases()).toEqual([result.setAside])
    expect((await listRestoreLeftovers(fx.target)).leftovers).toEqual([
      expect.objectContaining({ name: result.setAside, kind: 'before_restore', stamp: result.stamp, owner: fx.owner, sessions: 0 }),
    ])

    const undone = await undoRestore(fx.target, result.stamp, {}, quiet)
    expect(undone).toMatchObject({ broughtBack: result.setAside, setAside: `${fx.database}_restored_${result.stamp}` })
    expect(await fx.query(`SELECT count(*)::int AS n FROM public.things WHERE name = 'after the backup'`)).toEqual([{ n: 1 }])
    expect(await count()).toBe(ROWS - 1000 + 1)
    expect(await privileges()).toEqual(before)
    expect(await leftoverDatabases()).toEqual([undone.setAside])
  }, 120_000)

  it('restores a seed-style .sql.gz without a manifest, checked against the COPY blocks it declares', async () => {
    const { gzipSync } = await import('node:zlib')
    const id = 'db_backup_pre_deployment_20260102_010000.sql.gz'
    writeFileSync(join(backups(), id), gzipSync(pgDump(fx.database)))
    const result = await emergencyRestore(fx.target, id, {}, quiet)
    expect(result).toMatchObject({ ok: true, comparedWith: 'dump', skipMigrations: { changed: false } })
    expect(result.tables).toContainEqual({ schema: 'billing', name: 'invoices', expectedRows: 500, restoredRows: 500 })
  }, 90_000)

  it('drops only this target\'s leftovers, by exact name', async () => {
    // What a console killed mid-restore leaves: listed, never dropped on its own.
    const killed = new pg.Client(fx.restoreUrl)
    await killed.connect()
    await killed.query(`CREATE DATABASE ${fx.database}_restore_20260101_000000`).finally(() => killed.end())
    const { leftovers } = await listRestoreLeftovers(fx.target)
    expect(leftovers.map((l) => l.kind).sort()).toEqual(['before_restore', 'restore', 'restored'])
    for (const name of [fx.database, 'postgres', `other_before_restore_20260101_000000`, `${fx.database}_before_restore_2026`,
      `${fx.database}_before_restore_20260101_000000; DROP DATABASE postgres`, `${fx.database}x_before_restore_20260101_000000`]) {
      await expect(dropLeftover(fx.target, name)).rejects.toThrow(/not a leftover of an emergency restore/)
    }
    await expect(dropLeftover(fx.target, `${fx.database}_before_restore_19990101_000000`)).rejects.toThrow(/There is no database/)
    for (const l of leftovers) expect(await dropLeftover(fx.target, l.name)).toEqual({ dropped: l.name })
    expect(await leftoverDatabases()).toEqual([])
    expect(await count()).toBe(ROWS - 1000 + 1)
  }, 60_000)
})
