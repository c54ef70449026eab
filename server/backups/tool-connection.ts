import type { ClientConfig } from 'pg'

export interface ToolConnection {
  /** `--dbname=…` carrying host, port, user and database; never the password. */
  args: string[]
  /** The child's environment: the password only here, as PGPASSWORD. */
  env: NodeJS.ProcessEnv
  password: string | null
}

// Inherited libpq settings must not redirect a child to another server or user than the config says.
const CLEARED = ['PGPASSWORD', 'PGSERVICE', 'PGHOST', 'PGHOSTADDR', 'PGPORT', 'PGDATABASE', 'PGUSER', 'PGOPTIONS']

/** Command-line connection for pg_dump, pg_restore and psql; `database` overrides the config's. */
export function toolConnection(config: ClientConfig, database?: string): ToolConnection {
  let dbname: string
  let password: string | null
  if (config.connectionString) {
    const url = new URL(config.connectionString)
    password = url.password ? decodeURIComponent(url.password) : null
    url.password = ''
    if (database) url.pathname = '/' + encodeURIComponent(database)
    dbname = url.toString()
  } else {
    password = typeof config.password === 'string' ? config.password : null
    // A keyword/value string, so a database name containing "=" is never read as a connection string.
    dbname = Object.entries({ host: config.host, port: config.port, user: config.user, dbname: database ?? config.database })
      .filter(([, v]) => v !== undefined && v !== null && v !== '')
      .map(([k, v]) => `${k}='${String(v).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`)
      .join(' ')
  }
  const env: NodeJS.ProcessEnv = { ...process.env, PGAPPNAME: 'dbsafe' }
  for (const key of CLEARED) delete env[key]
  if (password) env.PGPASSWORD = password
  return { args: ['--no-password', `--dbname=${dbname}`], env, password }
}

/** The same connection with another database, for pg clients. */
export function withDatabase(config: ClientConfig, database: string): ClientConfig {
  if (!config.connectionString) return { ...config, database }
  const url = new URL(config.connectionString)
  url.pathname = '/' + encodeURIComponent(database)
  return { ...config, connectionString: url.toString() }
}
