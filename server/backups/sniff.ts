import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync, constants as zlib } from 'node:zlib'
import { Decompress } from 'fzstd'
import type { BackupFormat } from '~contract/backups'

// Enough for a tar header and a gzip stream's first block; a zstd frame's first block may need up to 128 KiB.
const HEAD_BYTES = 16 * 1024
const ZSTD_HEAD_BYTES = 160 * 1024

/**
 * What a file or directory in the backups dir is by its bytes, whatever its name: pg_dump's custom
 * (`PGDMP`), tar (a `toc.dat` first member) and directory (`toc.dat` inside) archives, and plain
 * scripts (pg_dump's header), raw, gzip or zstd. Null for anything else: a README, a migration, an
 * empty file. Opened without following symlinks, so a link swapped in after the listing is not read.
 */
export async function sniffDump(path: string, isDirectory: boolean): Promise<BackupFormat | null> {
  const compressed = (format: BackupFormat, start: Buffer): BackupFormat | null => isPlainDumpStart(start) ? format : null
  if (isDirectory) return (await readHead(join(path, 'toc.dat'), 5))?.toString('latin1') === 'PGDMP' ? 'directory' : null
  const head = await readHead(path, HEAD_BYTES)
  if (!head || head.length < 5) return null
  if (head.toString('latin1', 0, 5) === 'PGDMP') return 'custom'
  if (head.length >= 512 && head.toString('latin1', 257, 262) === 'ustar' && head.toString('latin1', 0, 8) === 'toc.dat\0') return 'tar'
  if (head[0] === 0x1f && head[1] === 0x8b) return compressed('plain-gzip', gunzipStart(head))
  if (head.readUInt32LE(0) === 0xfd2fb528) {
    const start = zstdStart(head)
    return compressed('plain-zstd', start.length || head.length < HEAD_BYTES ? start : zstdStart(await readHead(path, ZSTD_HEAD_BYTES) ?? head))
  }
  return isPlainDumpStart(head) ? 'plain' : null
}

/** pg_dump's plain output opens with this header (pg_dumpall's says "database cluster dump" and is not one database). */
export function isPlainDumpStart(head: Buffer): boolean {
  const text = head.toString('latin1', 0, 200).replace(/^\xef\xbb\xbf/, '').replace(/\r/g, '')
  return text.startsWith('--\n-- PostgreSQL database dump\n')
}

async function readHead(path: string, bytes: number): Promise<Buffer | null> {
  let fh
  try {
    fh = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK)
    if (!(await fh.stat()).isFile()) return null
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(bytes), 0, bytes, 0)
    return buffer.subarray(0, bytesRead)
  } catch {
    return null
  } finally {
    await fh?.close()
  }
}

// The start of a compressed stream inflates without its end: a cut-off head is still readable.
function gunzipStart(head: Buffer): Buffer {
  try {
    return gunzipSync(head, { finishFlush: zlib.Z_SYNC_FLUSH })
  } catch {
    return Buffer.alloc(0)
  }
}

function zstdStart(head: Buffer): Buffer {
  const out: Uint8Array[] = []
  try {
    new Decompress((chunk) => { out.push(chunk) }).push(head)
  } catch { /* the head ended mid-block: what came out before is enough */ }
  return Buffer.concat(out)
}
