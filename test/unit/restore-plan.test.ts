import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CatalogObject, CatalogSnapshot, DatabaseFacts } from '~server/restore/catalog'
import { createDatabaseSql, settingStatements } from '~server/restore/database'
import { countCopyBlocks } from '~server/restore/dump-tables'
import { leftoverName, parseLeftover, restoreStamp } from '~server/restore/names'
import { planPrivileges } from '~server/restore/privileges'

const db = (over: Partial<DatabaseFacts> = {}): DatabaseFacts => ({
  name: 'shop', owner: 'owner', acl: [], connectionLimit: -1, encoding: 'UTF8', tablespace: 'pg_default',
  raw: { datcollate: 'C.UTF-8', datctype: 'C.UTF-8', datlocprovider: 'c' }, settings: [], roleSettings: 0, ...over,
})
const obj = (over: Partial<CatalogObject>): CatalogObject => ({
  kind: 'table', schema: 'public', name: 't', args: null, owner: 'owner', followsTable: false, acl: [], columns: [], ...over,
})
const snapshot = (database: DatabaseFacts, objects: CatalogObject[]): CatalogSnapshot => ({ database, objects, defaultAcls: [] })

describe('restore names', () => {
  it('stamps in UTC and recognises only this database\'s leftovers', () => {
    expect(restoreStamp(new Date('2026-03-04T05:06:07.890Z'))).toBe('20260304_050607')
    expect(parseLeftover('shop', 'shop_before_restore_20260304_050607')).toEqual({ kind: 'before_restore', stamp: '20260304_050607' })
    expect(parseLeftover('shop', 'shop_restored_20260304_050607')).toEqual({ kind: 'restored', stamp: '20260304_050607' })
    for (const name of ['shop', 'shop_x_before_restore_20260304_050607', 'shopx_restore_20260304_050607', 'shop_restore_2026', 'shop_restore_20260304_050607 ']) {
      expect(parseLeftover('shop', name)).toBeNull()
    }
  })

  it('refuses a name PostgreSQL would truncate', () => {
    expect(() => leftoverName('x'.repeat(40), 'before_restore', '20260304_050607')).toThrow(/too long/)
  })
})

describe('the new database and its settings', () => {
  it('is created from template0 with the live encoding, locale and tablespace, every value quoted', () => {
    expect(createDatabaseSql('shop_restore_1', db({ tablespace: 'fast"disk', raw: { datcollate: "it's", datctype: 'C', datlocprovider: 'i', daticulocale: 'und' } })))
      .toBe(`CREATE DATABASE "shop_restore_1" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'it''s' LC_CTYPE 'C' LOCALE_PROVIDER icu ICU_LOCALE 'und' TABLESPACE "fast""disk"`)
  })

  it('writes list settings element by element, as pg_dumpall does', () => {
    expect(settingStatements('n', db({ settings: ['search_path="$user", public, "We ird"', 'statement_timeout=5min', 'app.tenant=a b'] }))).toEqual([
      `ALTER DATABASE "n" SET "search_path" TO '$user', 'public', 'We ird'`,
      `ALTER DATABASE "n" SET "statement_timeout" TO '5min'`,
      `ALTER DATABASE "n" SET "app"."tenant" TO 'a b'`,
    ])
  })
})

describe('what a dump carries', () => {
  it('counts COPY rows per table, quoted names included, and never reads COPY data as SQL', async () => {
    const dump = ['SET x = 1;', 'COPY public.things (id, name) FROM stdin;', '1\ta', '2\tCOPY public.fake (a) FROM stdin;', '\\.', '',
      'COPY "Odd ""Schema"""."""t" () FROM stdin;', '\\.', 'COPY billing.empty (id) FROM stdin;', '\\.', ''].join('\n')
    expect(await countCopyBlocks(Readable.from([Buffer.from(dump)]))).toEqual([
      { schema: 'billing', name: 'empty', rows: 0 },
      { schema: 'Odd "Schema"', name: '"t', rows: 0 },
      { schema: 'public', name: 'things', rows: 2 },
    ])
  })
})

describe('recreating owners and privileges', () => {
  it('gives the restored objects the live owners and exactly the live privileges', () => {
    const live = snapshot(db({ acl: [{ grantee: 'owner', privilege: 'CONNECT', grantable: false }, { grantee: 'app', privilege: 'CONNECT', grantable: false }] }), [
      obj({ kind: 'schema', schema: null, name: 'billing', acl: [{ grantee: 'owner', privilege: 'USAGE', grantable: false }, { grantee: 'app', privilege: 'USAGE', grantable: false }] }),
      obj({ acl: [{ grantee: 'app', privilege: 'SELECT', grantable: true }], columns: [{ name: 'a"b', acl: [{ grantee: 'app', privilege: 'UPDATE', grantable: false }] }] }),
      obj({ kind: 'sequence', name: 't_id_seq', followsTable: true, acl: [] }),
      obj({ kind: 'aggregate', name: 'agg', args: '', acl: [] }),
    ])
    const mine = (o: CatalogObject) => ({ ...o, owner: 'restore', acl: [], columns: [] })
    const restored = snapshot(db({ owner: 'restore', acl: [{ grantee: 'restore', privilege: 'CONNECT', grantable: false }, { grantee: null, privilege: 'CONNECT', grantable: false }] }),
      [...live.objects.map(mine), obj({ name: 'dropped_since', owner: 'restore' })])
    const plan = planPrivileges(live, restored, 'shop_restore_1')
    expect(plan.statements).toEqual([
      'ALTER DATABASE "shop_restore_1" OWNER TO "owner"',
      'REVOKE ALL ON DATABASE "shop_restore_1" FROM PUBLIC, "owner"',
      'GRANT CONNECT ON DATABASE "shop_restore_1" TO "owner"',
      'GRANT CONNECT ON DATABASE "shop_restore_1" TO "app"',
      'ALTER SCHEMA "billing" OWNER TO "owner"',
      'REVOKE ALL ON SCHEMA "billing" FROM PUBLIC, "owner"',
      'GRANT USAGE ON SCHEMA "billing" TO "owner"',
      'GRANT USAGE ON SCHEMA "billing" TO "app"',
      'ALTER TABLE "public"."t" OWNER TO "owner"',
      'ALTER AGGREGATE "public"."agg"(*) OWNER TO "owner"',
      'ALTER TABLE "public"."dropped_since" OWNER TO "owner"',
      'REVOKE ALL ON TABLE "public"."t" FROM PUBLIC, "owner"',
      'GRANT SELECT ON TABLE "public"."t" TO "app" WITH GRANT OPTION',
      'GRANT UPDATE ("a""b") ON TABLE "public"."t" TO "app"',
    ])
    expect(plan.notes).toEqual(['1 objects of the backup are not in the live database and go to their schema\'s owner: table public.dropped_since'])
  })
})
