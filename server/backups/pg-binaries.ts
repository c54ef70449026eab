import { execFile } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'

export type PgTool = 'pg_dump' | 'pg_restore' | 'psql'
export interface ToolVersion { text: string, major: number }

const ROOT = '/usr/lib/postgresql'

/** The newest installed PostgreSQL client binaries (Debian layout), or null to use PATH. */
export function pgBinDir(): string | null {
  const majors = existsSync(ROOT) ? readdirSync(ROOT).filter((d) => /^\d+$/.test(d) && existsSync(join(ROOT, d, 'bin', 'pg_dump'))).map(Number) : []
  return majors.length ? join(ROOT, String(Math.max(...majors)), 'bin') : null
}

export function pgTool(name: PgTool, binDir: string | null = pgBinDir()): string {
  return binDir ? join(binDir, name) : name
}

export async function toolVersion(bin: string): Promise<ToolVersion> {
  const text = await promisify(execFile)(bin, ['--version']).then((r) => r.stdout.trim(), (err: Error) => {
    throw new Error(`Could not run ${bin} (${err.message}): install the PostgreSQL client tools or point the binaries dir at them`, { cause: err })
  })
  const m = /\(PostgreSQL\) (\d+)(?:\.(\d+))?/.exec(text)
  if (!m) throw new Error(`Could not read the version of ${bin}: "${text}"`)
  const major = Number(m[1]) >= 10 ? Number(m[1]) : Number(`${m[1]}.${m[2] ?? 0}`)
  return { text, major }
}

/** 150010 → 15, 90624 → 9.6 (the major as PostgreSQL names it). */
export function serverMajor(versionNum: number): number {
  return versionNum >= 100_000 ? Math.floor(versionNum / 10_000) : Math.floor(versionNum / 10_000) + (Math.floor(versionNum / 100) % 100) / 10
}

// pg_dump cannot dump a server newer than itself, and one that tried would miss catalog features.
export function assertDumpVersion(pgDump: ToolVersion, server: { version: string, versionNum: number }): void {
  const major = serverMajor(server.versionNum)
  if (pgDump.major < major) {
    throw new Error(`pg_dump ${pgDump.major} (${pgDump.text}) is older than the server (PostgreSQL ${server.version}, major ${major}): `
      + `install the PostgreSQL ${major} client tools or set the binaries dir to them`)
  }
}
