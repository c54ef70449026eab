import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createInterface } from 'node:readline'
import { createGunzip } from 'node:zlib'
import type { ClientConfig } from 'pg'
import type { BackupFormat } from '~contract/backups'
import type { JobContext } from '../jobs/run'
import { pgTool } from './pg-binaries'
import { PlainDumpFilter, RefusedDumpError } from './plain-filter'
import { startTool, ToolFailedError } from './spawn'
import { toolConnection } from './tool-connection'
import { createZstdDecompress } from './zstd'

/** The backup itself would not restore: a finding about the file, unlike a server that cannot be reached. */
export class RestoreFailedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RestoreFailedError'
  }
}

export interface RestoreRun {
  path: string
  format: BackupFormat
  scratch: ClientConfig
  binDir?: string | null
  ctx: JobContext
  signal?: AbortSignal
}

/** Restores into the (empty) scratch database: archives with pg_restore, plain scripts through psql. */
export async function restoreInto(run: RestoreRun): Promise<void> {
  if (run.format === 'custom' || run.format === 'directory' || run.format === 'tar') await pgRestore(run)
  else await psqlRestore(run)
}

const TABLE_DATA = /^pg_restore: processing data for table "(.+)"$/

async function pgRestore(run: RestoreRun): Promise<void> {
  const bin = pgTool('pg_restore', run.binDir)
  const total = await tableDataEntries(bin, run.path)
  const conn = toolConnection(run.scratch)
  let done = 0
  const tool = startTool(bin, ['--verbose', '--no-owner', '--no-privileges', '--exit-on-error', ...conn.args, run.path], {
    env: conn.env, secret: conn.password, signal: run.signal,
    onStderrLine: (line) => {
      run.ctx.log(line)
      const table = TABLE_DATA.exec(line)?.[1]
      if (table) run.ctx.progress({ done: ++done, total, message: `restoring ${table}` })
    },
  })
  const exit = await tool.exited
  if (exit.code !== 0) throw new RestoreFailedError(new ToolFailedError('pg_restore', exit).message)
}

// The archive's table of contents says how many tables carry data: the progress total.
async function tableDataEntries(bin: string, path: string): Promise<number> {
  const tool = startTool(bin, ['--list', path], { env: process.env, stdout: 'pipe' })
  let count = 0
  for await (const line of createInterface({ input: tool.child.stdout!, crlfDelay: Infinity })) if (/ TABLE DATA /.test(line)) count++
  const exit = await tool.exited
  if (exit.code !== 0) throw new RestoreFailedError(new ToolFailedError('pg_restore --list', exit).message)
  return count
}

async function psqlRestore(run: RestoreRun): Promise<void> {
  const conn = toolConnection(run.scratch)
  let done = 0
  let bytes = 0
  const filter = new PlainDumpFilter(randomBytes(16).toString('hex'), (table) => {
    run.ctx.progress({ done: ++done, message: `restoring ${table}` })
  })
  const meter = new Transform({
    transform(chunk: Buffer, _enc, next) {
      bytes += chunk.length
      run.ctx.progress({ bytes })
      next(null, chunk)
    },
  })
  const tool = startTool(pgTool('psql', run.binDir), ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...conn.args, '-f', '-'], {
    env: conn.env, secret: conn.password, stdin: 'pipe', signal: run.signal, onStderrLine: (line) => run.ctx.log(line),
  })
  const inflate = { 'plain-gzip': [createGunzip()], 'plain-zstd': [createZstdDecompress()] }[run.format as string] ?? []
  const stages = [meter, ...inflate, filter]
  const [fed, exited] = await Promise.allSettled([pipeline([createReadStream(run.path), ...stages, tool.child.stdin!]), tool.exited])
  if (exited.status === 'rejected') throw exited.reason
  // psql's own error comes first: when it stops, feeding it fails too.
  if (exited.value.code !== 0) throw new RestoreFailedError(new ToolFailedError('psql', exited.value).message)
  if (fed.status === 'rejected') {
    const err = fed.reason as NodeJS.ErrnoException
    if (err instanceof RefusedDumpError) throw new RestoreFailedError(err.message)
    if (err.code?.startsWith('Z_')) throw new RestoreFailedError(`the gzip stream is damaged or cut off (${err.message})`)
    if (err.message.startsWith('the zstd stream')) throw new RestoreFailedError(err.message)
    throw err
  }
}
