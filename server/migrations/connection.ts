import type pg from 'pg'

export async function serverVersionNum(pool: pg.Pool | pg.PoolClient): Promise<number> {
  const { rows } = await pool.query<{ v: string }>('SHOW server_version_num')
  return Number(rows[0].v)
}
