import { describe, expect, it } from 'vitest'
import { pgDumpArgs } from '~server/backups/dump'
import { assertDumpVersion, serverMajor } from '~server/backups/pg-binaries'
import { toolConnection } from '~server/backups/tool-connection'

const PASSWORD = "s3cr'et\\pa ss"

describe('pg tool connection', () => {
  it('puts host, port, user and database in argv and the password only in the environment', () => {
    const conn = toolConnection({ host: '10.0.0.5', port: 5433, user: 'app', database: 'shop', password: PASSWORD })
    const args = pgDumpArgs(conn, { format: 'custom', snapshot: '00000003-0000001B-1' })
    expect(args.join(' ')).not.toContain('s3cr')
    expect(args).toContain("--dbname=host='10.0.0.5' port='5433' user='app' dbname='shop'")
    expect(args).toContain('--no-password')
    expect(conn.env.PGPASSWORD).toBe(PASSWORD)
  })

  it('strips the password out of a connection URL', () => {
    const conn = toolConnection({ connectionString: `postgresql://backup:${encodeURIComponent(PASSWORD)}@db.internal:5432/shop?sslmode=require` })
    const args = pgDumpArgs(conn, { format: 'custom', snapshot: 's' })
    expect(args.join(' ')).not.toContain('s3cr')
    expect(args).toContain('--dbname=postgresql://backup@db.internal:5432/shop?sslmode=require')
    expect(conn.env.PGPASSWORD).toBe(PASSWORD)
  })

  it('quotes a database name with "=" so it is never read as a connection string', () => {
    const conn = toolConnection({ host: 'h', database: "odd=name 'x'" })
    expect(conn.args).toContain("--dbname=host='h' dbname='odd=name \\'x\\''")
  })

  it('connects to another database when asked (the scratch database)', () => {
    expect(toolConnection({ connectionString: 'postgresql://u:p@h/postgres' }, 'dbsafe_verify_ab').args)
      .toContain('--dbname=postgresql://u@h/dbsafe_verify_ab')
  })

  it('does not let inherited libpq variables redirect the child', () => {
    const saved = { ...process.env }
    Object.assign(process.env, { PGHOST: 'elsewhere', PGUSER: 'root', PGPASSWORD: 'inherited', PGDATABASE: 'other' })
    try {
      const { env } = toolConnection({ host: 'h', user: 'u', database: 'd' })
      expect([env.PGHOST, env.PGUSER, env.PGPASSWORD, env.PGDATABASE]).toEqual([undefined, undefined, undefined, undefined])
    } finally {
      process.env = saved
    }
  })
})

describe('pg_dump arguments', () => {
  it('dumps custom format, verbose, from the exported snapshot', () => {
    const args = pgDumpArgs(toolConnection({ host: 'h' }), { format: 'custom', snapshot: '00000003-0000001B-1' })
    expect(args.slice(0, 3)).toEqual(['--verbose', '--format=custom', '--snapshot=00000003-0000001B-1'])
  })

  it('writes plain-gzip as plain format with compression, directory format into the given path', () => {
    expect(pgDumpArgs(toolConnection({}), { format: 'plain-gzip', compress: 9, snapshot: 's' })).toContain('--compress=9')
    expect(pgDumpArgs(toolConnection({}), { format: 'plain-gzip', snapshot: 's' })).toEqual(expect.arrayContaining(['--format=plain', '--compress=6']))
    expect(pgDumpArgs(toolConnection({}), { format: 'directory', snapshot: 's', file: '/b/x.partial' })).toEqual(expect.arrayContaining(['--format=directory', '--file=/b/x.partial']))
  })
})

describe('pg_dump version against the server', () => {
  it.each([[150010, 15], [170002, 17], [100023, 10], [90624, 9.6]])('server_version_num %i is major %s', (num, major) => {
    expect(serverMajor(num)).toBe(major)
  })

  it('refuses a pg_dump older than the server, naming both versions', () => {
    expect(() => assertDumpVersion({ text: 'pg_dump (PostgreSQL) 14.12', major: 14 }, { version: '16.4', versionNum: 160004 }))
      .toThrow(/pg_dump 14 .*older than the server \(PostgreSQL 16\.4, major 16\)/)
  })

  it('accepts the same or a newer pg_dump', () => {
    expect(() => assertDumpVersion({ text: 'pg_dump (PostgreSQL) 16.1', major: 16 }, { version: '16.4', versionNum: 160004 })).not.toThrow()
    expect(() => assertDumpVersion({ text: 'pg_dump (PostgreSQL) 17.0', major: 17 }, { version: '12.20', versionNum: 120020 })).not.toThrow()
  })
})
