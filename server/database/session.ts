import pg from 'pg'

/**
 * A connection of its own for a job's whole run (a lock holder, a migration), so a job never keeps a client of
 * the request pools; `applicationName` names it in pg_stat_activity. Closing it is the caller's.
 */
export async function openSession(config: pg.ClientConfig, applicationName: string): Promise<pg.Client> {
  const session = new pg.Client({ ...config, application_name: applicationName, connectionTimeoutMillis: 5000 })
  // A session dropped mid-job fails that job's next query; the client must not crash the console.
  session.on('error', () => {})
  await session.connect()
  return session
}
