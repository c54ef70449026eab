import type pg from 'pg'

export async function serverVersionNum(pool: pg.Pool | pg.ClientBase): Promise<number> {
  const { rows } = await pool.query<{ v: string }>(`SELECT current_setting('server_version_num') AS v`)
  return Number(rows[0].v)
}
