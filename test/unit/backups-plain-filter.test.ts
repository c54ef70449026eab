import { Readable } from 'node:stream'
import { buffer, text } from 'node:stream/consumers'
import { describe, expect, it } from 'vitest'
import { hasCompletionMarker } from '~server/backups/checks'
import { PlainDumpFilter } from '~server/backups/plain-filter'

async function filter(sql: string, chunkSize = 7): Promise<{ out: string, tables: string[] }> {
  const tables: string[] = []
  const bytes = Buffer.from(sql, 'latin1')
  const chunks = Array.from({ length: Math.ceil(bytes.length / chunkSize) }, (_, i) => bytes.subarray(i * chunkSize, (i + 1) * chunkSize))
  const out = await text(Readable.from(chunks).pipe(new PlainDumpFilter('KEY', (t) => tables.push(t))))
  return { out, tables }
}

const DUMP = [
  '\\restrict OrigKey123',
  'CREATE TABLE public.users (id integer, note text);',
  'ALTER TABLE public.users OWNER TO crearis_owner;',
  'COPY public.users (id, note) FROM stdin;',
  '1\tALTER TABLE x OWNER TO y;',
  '2\tGRANT ALL ON x TO y;',
  '\\.',
  'GRANT SELECT ON TABLE public.users TO crearis_app;',
  'REVOKE ALL ON SCHEMA public FROM PUBLIC;',
  'ALTER DEFAULT PRIVILEGES FOR ROLE crearis_owner IN SCHEMA public GRANT ALL ON TABLES TO crearis_app;',
  '-- PostgreSQL database dump complete',
  '\\unrestrict OrigKey123',
  '',
].join('\n')

describe('plain dump filter for restore tests', () => {
  it('opens with its own \\restrict so psql refuses any backslash command in the file', async () => {
    const { out } = await filter(DUMP)
    expect(out.startsWith('\\restrict KEY\n')).toBe(true)
    expect(out).not.toContain('OrigKey123')
  })

  it('blanks ownership and privilege lines outside COPY data, keeping line numbers', async () => {
    const { out } = await filter(DUMP)
    expect(out).not.toMatch(/^ALTER TABLE public\.users OWNER/m)
    expect(out).not.toMatch(/^GRANT SELECT/m)
    expect(out).not.toMatch(/^REVOKE/m)
    expect(out).not.toMatch(/^ALTER DEFAULT PRIVILEGES/m)
    expect(out.split('\n')).toHaveLength(DUMP.split('\n').length + 1)
  })

  it('blanks role statements a dumpall or a tampered file carries', async () => {
    const { out } = await filter('CREATE ROLE x SUPERUSER;\nALTER ROLE crearis_app SUPERUSER;\nALTER USER u CREATEROLE;\nSET ROLE postgres;\nRESET ROLE;\nCREATE TABLE t (id int);\n')
    expect(out).toBe('\\restrict KEY\n\n\n\n\n\nCREATE TABLE t (id int);\n')
  })

  it('passes COPY data through untouched, even rows that look like statements, and counts tables', async () => {
    const { out, tables } = await filter(DUMP, 3)
    expect(out).toContain('1\tALTER TABLE x OWNER TO y;\n2\tGRANT ALL ON x TO y;\n\\.\n')
    expect(tables).toEqual(['public.users'])
  })

  it('keeps bytes that are not UTF-8 as they are', async () => {
    const latin1 = Buffer.from('COPY public.t (v) FROM stdin;\ncaf\xe9\n\\.\nCOMMENT ON TABLE public.t IS \'caf\xe9\';\n', 'latin1')
    const out = await buffer(Readable.from([latin1]).pipe(new PlainDumpFilter('K', () => {})))
    expect(out.subarray('\\restrict K\n'.length).equals(latin1)).toBe(true)
  })

  it('refuses a dump made with --create, which would act on the original database', async () => {
    await expect(filter('SET x = 1;\nCREATE DATABASE crearis_prod WITH TEMPLATE = template0;\n\\connect crearis_prod\n')).rejects.toThrow(/--create/)
  })

  it('passes a last line without a newline', async () => {
    expect((await filter('SELECT 1;')).out).toBe('\\restrict KEY\nSELECT 1;')
  })
})

describe('plain dump completion marker', () => {
  it.each([
    ['--\n-- PostgreSQL database dump complete\n--\n\n', true],
    ['--\n-- PostgreSQL database dump complete\n--\n\n\\unrestrict abc123\n\n', true],
    ['COPY public.t (v) FROM stdin;\n1\n2\n', false],
    ['--\n-- PostgreSQL database dump complete\n--\n\nINSERT INTO t VALUES (1);\n', false],
    ['', false],
  ])('%j complete: %s', (tail, complete) => {
    expect(hasCompletionMarker(tail)).toBe(complete)
  })
})
