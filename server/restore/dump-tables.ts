import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { createGunzip } from 'node:zlib'
import type { BackupFormat, BackupTableCount } from '~contract/backups'
import { pgTool } from '../backups/pg-binaries'
import { startTool, ToolFailedError } from '../backups/spawn'
import { createZstdDecompress } from '../backups/zstd'

const PART = String.raw`(?:"(?:[^"]|"")*"|[^".\s]+)`
const COPY = new RegExp(String.raw`^COPY (${PART})\.(${PART}) (?:\(.*\) )?FROM stdin;$`)

/**
 * The tables a dump carries data for and how many rows each: its COPY blocks, one line per row in COPY's
 * text format. Archives are read as pg_restore prints their data (`--data-only` to stdout), nothing restored.
 */
export async function dumpTableCounts(path: string, format: BackupFormat, binDir?: string | null, signal?: AbortSignal): Promise<BackupTableCount[]> {
  if (format === 'plain' || format === 'plain-gzip' || format === 'plain-zstd') {
    const file = createReadStream(path, { signal })
    const inflate = format === 'plain-gzip' ? createGunzip() : format === 'plain-zstd' ? createZstdDecompress() : null
    if (!inflate) return countCopyBlocks(file)
    file.once('error', (err) => inflate.destroy(err))
    return countCopyBlocks(file.pipe(inflate))
  }
  const tool = startTool(pgTool('pg_restore', binDir), ['--data-only', '--file=-', path], { env: process.env, stdout: 'pipe', signal })
  const [counts, exit] = await Promise.all([countCopyBlocks(tool.child.stdout!), tool.exited])
  if (exit.code !== 0) throw new ToolFailedError('pg_restore --data-only', exit)
  return counts
}

export async function countCopyBlocks(input: Readable): Promise<BackupTableCount[]> {
  const out: BackupTableCount[] = []
  let current: BackupTableCount | null = null
  // latin1: any byte sequence is one character, so a line is split exactly where the dump's bytes have a newline.
  input.setEncoding('latin1')
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    if (current) {
      if (line === '\\.') current = null
      else current.rows++
      continue
    }
    const m = COPY.exec(line)
    if (m) {
      current = { schema: unquote(m[1]), name: unquote(m[2]), rows: 0 }
      out.push(current)
    }
  }
  return out.sort((a, b) => `${a.schema}.${a.name}`.localeCompare(`${b.schema}.${b.name}`))
}

// Names come back in the dump's encoding; latin1 read them byte for byte, so they are turned back into UTF-8 here.
function unquote(part: string): string {
  const bare = part.startsWith('"') ? part.slice(1, -1).replace(/""/g, '"') : part
  return Buffer.from(bare, 'latin1').toString('utf8')
}
