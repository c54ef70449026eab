import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
import { sniffDump } from '~server/backups/sniff'

const PLAIN = '--\n-- PostgreSQL database dump\n--\n\n-- Dumped from database version 15.18\n\nSET statement_timeout = 0;\n'

// A dump whose gzip stream stops half way (the nightly job killed mid-write).
const cutGzip = () => {
  const whole = gzipSync(PLAIN + Array.from({ length: 5000 }, (_, i) => `${i}\tname ${i * 7919 % 10007}\n`).join(''))
  return whole.subarray(0, whole.length >> 1)
}

describe('what a file is by its bytes', () => {
  let dir: string
  const file = (name: string, data: string | Buffer) => {
    writeFileSync(join(dir, name), data)
    return join(dir, name)
  }
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'dbsafe-sniff-'))
  })

  it.each([
    ['a plain dump', () => file('a', PLAIN), 'plain'],
    ['a plain dump with CRLF line ends and a BOM', () => file('b', '\ufeff' + PLAIN.replace(/\n/g, '\r\n')), 'plain'],
    ['a gzip plain dump', () => file('c', gzipSync(PLAIN)), 'plain-gzip'],
    ['a custom archive', () => file('d', Buffer.concat([Buffer.from('PGDMP'), Buffer.alloc(100)])), 'custom'],
    ['a cut-off gzip of a dump (its start still inflates)', () => file('e', cutGzip()), 'plain-gzip'],
  ])('%s', (_what, make, format) => {
    return expect(sniffDump(make(), false)).resolves.toBe(format)
  })

  it.each([
    ['an empty file', () => file('f', '')],
    ['a migration', () => file('g.sql', 'CREATE TABLE users (id bigint);\n')],
    ['a pg_dumpall cluster dump (not one database)', () => file('h', '--\n-- PostgreSQL database cluster dump\n--\n')],
    ['a gzip of a log', () => file('i.gz', gzipSync('2026-11-30 backup ok\n'))],
    ['a README', () => file('README.md', '# Backups\n')],
  ])('not a dump: %s', (_what, make) => {
    return expect(sniffDump(make(), false)).resolves.toBeNull()
  })

  it('never follows a symlink, even to a dump', async () => {
    const target = file('real', PLAIN)
    symlinkSync(target, join(dir, 'link'))
    expect(await sniffDump(join(dir, 'link'), false)).toBeNull()
  })

  it('does not hang on a FIFO someone left in the backups dir', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe')])
    expect(await sniffDump(join(dir, 'pipe'), false)).toBeNull()
  })

  it('a directory is a dump only with a PGDMP toc.dat inside', async () => {
    mkdirSync(join(dir, 'dumpdir'))
    expect(await sniffDump(join(dir, 'dumpdir'), true)).toBeNull()
    writeFileSync(join(dir, 'dumpdir', 'toc.dat'), 'PGDMP\x01')
    expect(await sniffDump(join(dir, 'dumpdir'), true)).toBe('directory')
  })

  it('a zstd plain dump', () => {
    const zst = execFileSync('zstd', ['-q', '-c'], { input: PLAIN })
    return expect(sniffDump(file('j.sql.zst', zst), false)).resolves.toBe('plain-zstd')
  })
})
