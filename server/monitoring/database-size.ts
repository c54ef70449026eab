import type pg from 'pg'

export async function databaseSize(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ size: number }>('SELECT pg_database_size(current_database())::float8 AS size')
  return rows[0].size
}
