import { createHash } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { open, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { BackupFormat } from '~contract/backups'
import type { JobContext } from '../jobs/run'
import { sha256Directory } from './hash'
import { ToolFailedError, startTool, type ToolExit } from './spawn'
import type { ToolConnection } from './tool-connection'

export interface DumpArgsOptions { format: BackupFormat, compress?: number, snapshot: string, file?: string }

/** pg_dump's argv: connection without the password (that goes in the environment), verbose for progress. */
export function pgDumpArgs(conn: ToolConnection, o: DumpArgsOptions): string[] {
  const format = o.format === 'plain-gzip' ? 'plain' : o.format
  const compress = o.format === 'plain-gzip' ? Math.max(1, o.compress ?? 6) : o.compress
  return [
    '--verbose', `--format=${format}`, ...(compress !== undefined ? [`--compress=${compress}`] : []),
    `--snapshot=${o.snapshot}`, ...(o.file ? [`--file=${o.file}`] : []), ...conn.args,
  ]
}

export interface DumpRun {
  bin: string
  args: string[]
  conn: ToolConnection
  /** Where pg_dump writes: a file fed from its stdout, or (directory format) the directory it creates. */
  partialPath: string
  directory: boolean
  tableCount: number
  ctx: JobContext
  signal?: AbortSignal
}

const TABLE_LINE = /^pg_dump: dumping contents of table "(.+)"$/

/**
 * Runs pg_dump into `partialPath`, hashing and counting bytes as they stream (nothing is held in
 * memory), and fsyncs the result. On any failure the partial output is removed before rethrowing.
 */
export async function dumpToPartial(run: DumpRun): Promise<{ sizeBytes: number, sha256: string }> {
  let done = 0
  const tool = startTool(run.bin, run.args, {
    env: run.conn.env, secret: run.conn.password, stdout: run.directory ? 'ignore' : 'pipe', signal: run.signal,
    onStderrLine: (line) => {
      run.ctx.log(line)
      const table = TABLE_LINE.exec(line)?.[1]
      if (table) run.ctx.progress({ done: ++done, total: run.tableCount, message: `dumping ${table}` })
    },
  })
  try {
    if (run.directory) {
      succeeded(await tool.exited)
      await fsyncDirectoryTree(run.partialPath)
      return await sha256Directory(run.partialPath)
    }
    const hash = createHash('sha256')
    let bytes = 0
    const meter = new Transform({
      transform(chunk: Buffer, _enc, next) {
        hash.update(chunk)
        bytes += chunk.length
        run.ctx.progress({ bytes })
        next(null, chunk)
      },
    })
    const out = createWriteStream(run.partialPath, { flags: 'wx', mode: 0o600 })
    await Promise.all([pipeline(tool.child.stdout!, meter, out), tool.exited.then(succeeded)])
    await fsyncPath(run.partialPath)
    return { sizeBytes: bytes, sha256: hash.digest('hex') }
  } catch (err) {
    tool.child.kill('SIGTERM')
    await rm(run.partialPath, { recursive: true, force: true })
    throw err
  }
}

export async function fsyncPath(path: string): Promise<void> {
  const fh = await open(path, 'r')
  try { await fh.sync() } finally { await fh.close() }
}

function succeeded(exit: ToolExit): void {
  if (exit.code !== 0) throw new ToolFailedError('pg_dump', exit)
}

async function fsyncDirectoryTree(dir: string): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) if (e.isFile()) await fsyncPath(join(dir, e.name))
  await fsyncPath(dir)
}
