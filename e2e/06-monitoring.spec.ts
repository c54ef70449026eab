import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { parse } from 'dotenv'
import pg from 'pg'
import { baseURL, loginAsAdmin, shot } from './helpers'

// Sessions as the production app role, which the console connects as too, so their queries are visible.
async function appSession(): Promise<{ client: pg.Client, pid: number }> {
  const env = parse(readFileSync(process.env.E2E_PRODUCTION_ENV!, 'utf8'))
  const client = new pg.Client({ host: env.DB_HOST, port: Number(env.DB_PORT), user: env.DB_USER, password: env.DB_PASSWORD, database: env.DB_NAME })
  client.on('error', () => {})
  await client.connect()
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
  return { client, pid: rows[0].pid }
}

test('an admin watches production live: connections, largest tables, size over time, and who blocks whom', async ({ page }) => {
  test.setTimeout(60_000)
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/production/monitoring`)

  const connections = page.getByTestId('monitoring-connections')
  await expect(connections).toContainText(/of \d+ max_connections/)
  await expect(connections.getByRole('meter')).toBeVisible()
  await expect(page.getByTestId('monitoring-database')).toContainText('e2e_crearis_prod')
  await expect(page.getByTestId('monitoring-tables').locator('tbody tr').first()).toContainText('public.events')
  await expect(page.getByTestId('monitoring-locks')).toContainText('No locks waiting')
  // The app role has no pg_monitor: the page says so and how to fix it.
  await expect(page.getByTestId('monitoring-privilege-note')).toContainText('GRANT pg_monitor TO e2e_crearis_admin')
  // Opening the page stored a size sample, so the chart has a point to draw.
  await expect(page.getByTestId('monitoring-size-chart').locator('canvas')).toBeVisible()

  const [sleeper, holder, waiter] = [await appSession(), await appSession(), await appSession()]
  const pending: Promise<unknown>[] = []
  try {
    pending.push(sleeper.client.query('SELECT pg_sleep(45)').catch(() => {}))
    await holder.client.query(`BEGIN; UPDATE projects SET name = name WHERE id = 1`)
    pending.push(waiter.client.query('UPDATE projects SET name = name WHERE id = 1').catch(() => {}))

    // No reload: the page refreshes itself every 10 s.
    const locks = page.getByTestId('monitoring-locks')
    await expect(locks).toContainText(String(holder.pid), { timeout: 15_000 })
    await expect(locks).toContainText('UPDATE projects SET name = name WHERE id = 1')
    await expect(page.getByTestId('monitoring-queries')).toContainText('SELECT pg_sleep(45)')
    await expect(page.getByTestId('monitoring-transactions')).toContainText('idle in transaction')
    await shot(page, '20-monitoring')

    await page.getByTestId('monitoring-pause').click()
    await expect(page.getByText('Paused', { exact: true })).toBeVisible()
  } finally {
    await holder.client.query('ROLLBACK').catch(() => {})
    await holder.client.query('SELECT pg_cancel_backend($1)', [sleeper.pid]).catch(() => {})
    await Promise.all(pending)
    await Promise.all([sleeper, holder, waiter].map((s) => s.client.end()))
  }
})
