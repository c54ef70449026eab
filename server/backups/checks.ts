import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip } from 'node:zlib'
import type { BackupFormat, BackupManifest } from '~contract/backups'
import { sha256Directory, sha256File } from './hash'
import { pgTool } from './pg-binaries'
import { runTool } from './spawn'
import { createZstdDecompress } from './zstd'

export interface CheckResult { ok: boolean, problem?: string, sha256?: string }

const MARKER = '-- PostgreSQL database dump complete'
const TAIL_BYTES = 4096

/**
 * Reads a backup back without restoring it. With a manifest, the sha256 must match what pg_dump
 * wrote (that proves every byte); without one, each format's own evidence of completeness:
 * plain ends with pg_dump's completion marker, gzip and zstd must inflate whole (then the same marker),
 * custom, directory and tar archives must be read through by pg_restore.
 */
export async function checkBackupFile(path: string, format: BackupFormat, manifest: BackupManifest | null, binDir?: string | null): Promise<CheckResult> {
  try {
    if (manifest) return await checkAgainstManifest(path, format, manifest)
    if (format === 'plain') return checkMarker(await fileTail(path))
    if (format === 'plain-gzip') return checkMarker(await decompressedTail(path, 'gzip'))
    if (format === 'plain-zstd') return checkMarker(await decompressedTail(path, 'zstd'))
    return await checkWithPgRestore(path, binDir)
  } catch (err) {
    return { ok: false, problem: `could not be read: ${(err as Error).message}` }
  }
}

/** True when `tail` ends with pg_dump's completion marker, followed only by comment dashes, blank lines and `\unrestrict`. */
export function hasCompletionMarker(tail: string): boolean {
  const at = tail.lastIndexOf(MARKER)
  return at >= 0 && tail.slice(at + MARKER.length).split(/\r?\n/).every((l) => l === '' || l === '--' || l.startsWith('\\unrestrict '))
}

async function checkAgainstManifest(path: string, format: BackupFormat, m: BackupManifest): Promise<CheckResult> {
  if (m.format !== format) return { ok: false, problem: `its manifest says ${m.format}, the file is ${format}` }
  const { sha256, sizeBytes } = format === 'directory' ? await sha256Directory(path) : { sha256: await sha256File(path), sizeBytes: -1 }
  if (sha256 !== m.sha256) {
    return { ok: false, problem: `sha256 ${sha256.slice(0, 12)}… differs from the manifest's ${m.sha256.slice(0, 12)}…: the file changed or was damaged after the dump` }
  }
  if (sizeBytes >= 0 && sizeBytes !== m.sizeBytes) return { ok: false, problem: `holds ${sizeBytes} bytes, the manifest recorded ${m.sizeBytes}` }
  return { ok: true, sha256 }
}

function checkMarker(tail: string): CheckResult {
  return hasCompletionMarker(tail)
    ? { ok: true }
    : { ok: false, problem: `does not end with pg_dump's "${MARKER.slice(3)}" marker: the dump was cut off or did not finish` }
}

async function fileTail(path: string): Promise<string> {
  const fh = await open(path, 'r')
  try {
    const { size } = await fh.stat()
    const length = Math.min(size, TAIL_BYTES)
    const { buffer } = await fh.read(Buffer.alloc(length), 0, length, size - length)
    return buffer.toString('latin1')
  } finally {
    await fh.close()
  }
}

// Inflates the whole stream (zlib verifies gzip's CRC and length) but keeps only the last few KB.
async function decompressedTail(path: string, kind: 'gzip' | 'zstd'): Promise<string> {
  let tail = Buffer.alloc(0)
  const keepTail = new Writable({
    write(chunk: Buffer, _enc, done) {
      tail = Buffer.concat([tail, chunk]).subarray(-TAIL_BYTES)
      done()
    },
  })
  try {
    await pipeline(createReadStream(path), kind === 'gzip' ? createGunzip() : createZstdDecompress(), keepTail)
  } catch (err) {
    if (kind === 'zstd') throw err
    throw new Error(`the gzip stream is damaged or cut off (${(err as Error).message})`, { cause: err })
  }
  return tail.toString('latin1')
}

// `pg_restore --list` reads only the table of contents; writing the whole restore script to
// /dev/null reads and inflates every data block, which is what finds a truncated or damaged file.
async function checkWithPgRestore(path: string, binDir?: string | null): Promise<CheckResult> {
  try {
    await runTool('pg_restore', pgTool('pg_restore', binDir), ['--file=/dev/null', path], { env: process.env })
    return { ok: true }
  } catch (err) {
    return { ok: false, problem: `pg_restore could not read it back: ${(err as Error).message.replace(/^pg_restore failed \([^)]*\): /, '')}` }
  }
}
