// Issue 16 (and issue 15's privileges points): production's database gets 3,000 more tables in three
// schemas only this spec uses (e2e_scale_0..2, dropped at the end); the page must show its verdict and
// per-schema counts without any response carrying every object, and page the matrix from the server.
import { readFileSync } from 'node:fs'
import { expect, test, type Response } from '@playwright/test'
import { parse } from 'dotenv'
import pg from 'pg'
import { baseURL, loginAsAdmin, shot } from './helpers'

const TABLES = 3000
const superuser = () => new pg.Client(process.env.E2E_PRODUCTION_SUPERUSER_URL!)
const app = () => parse(readFileSync(process.env.E2E_PRODUCTION_ENV!, 'utf8')).DB_USER

test.beforeAll(async () => {
  const db = superuser()
  await db.connect()
  try {
    for (let s = 0; s < 3; s++) await db.query(`CREATE SCHEMA e2e_scale_${s}; GRANT USAGE ON SCHEMA e2e_scale_${s} TO ${app()}`)
    // Every 7th table owned by the app role, every 3rd with DML grants; a thousand per transaction.
    for (let from = 1; from <= TABLES; from += 1000) {
      await db.query(`DO $$ BEGIN FOR i IN ${from}..${from + 999} LOOP
        EXECUTE format('CREATE TABLE e2e_scale_%s.tenant_%s (id int)', i % 3, i);
        IF i % 7 = 0 THEN EXECUTE format('ALTER TABLE e2e_scale_%s.tenant_%s OWNER TO ${app()}', i % 3, i); END IF;
        IF i % 3 = 0 THEN EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON e2e_scale_%s.tenant_%s TO ${app()}', i % 3, i); END IF;
      END LOOP; END $$`)
    }
  } finally {
    await db.end()
  }
})

test.afterAll(async () => {
  const db = superuser()
  await db.connect()
  await db.query('DROP SCHEMA e2e_scale_0, e2e_scale_1, e2e_scale_2 CASCADE')
  await db.end()
})

const luminance = (rgb: string) => {
  const [r, g, b] = rgb.match(/\d+/g)!.slice(0, 3).map((v) => { const c = Number(v) / 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4 })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

test('thousands of tables: the verdict and per-schema counts come first, objects a page at a time', async ({ page }) => {
  const db = superuser()
  await db.connect()
  const { rows: [{ drop }] } = await db.query(`SELECT count(*)::int AS drop FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'e2e_scale_1' AND c.relkind = 'r' AND pg_has_role($1, c.relowner, 'MEMBER')`, [app()])
  const { rows: [{ reachable }] } = await db.query(`SELECT count(*)::int AS reachable FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname LIKE 'e2e\\_scale\\_%' AND (pg_has_role($1, c.relowner, 'MEMBER') OR has_table_privilege($1, c.oid, 'SELECT'))`, [app()])
  await db.end()

  // Every privileges answer the page receives, read in full before it is judged (a body arrives after its event).
  const bodies: { url: string, text: string }[] = []
  const reading: Promise<unknown>[] = []
  page.on('response', (res: Response) => {
    if (res.url().includes('/api/targets/production/privileges')) reading.push(res.text().catch(() => '').then((text) => bodies.push({ url: res.url(), text })))
  })
  await page.setViewportSize({ width: 1440, height: 900 })
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/production/privileges`)
  await expect(page.getByTestId('privileges-verdict')).toContainText('UNSAFE', { timeout: 30_000 })
  const counts = page.getByTestId('schema-counts')
  await expect(counts.getByRole('row', { name: /e2e_scale_1/ })).toContainText(String(drop))
  await expect(page.getByTestId('matrix-count')).toContainText('showing 1–100')

  // No answer the page asked for holds every object: the summary lists none (its findings name a sample,
  // and the remediation SQL the tables it moves), a page of the matrix at most 100.
  await Promise.all(reading)
  expect(bodies.length).toBeGreaterThan(0)
  for (const b of bodies) {
    const body = JSON.parse(b.text)
    expect(b.text.length, b.url).toBeLessThan(200_000)
    expect(body.tables, b.url).toBeUndefined()
    expect(new Set(b.text.match(/tenant_\d+/g)).size, b.url).toBeLessThan(reachable)
    if (b.url.includes('/objects')) expect(body.objects.length).toBeLessThanOrEqual(100)
  }
  expect(bodies.some((b) => b.url.includes('/privileges/objects'))).toBe(true)
  await shot(page, '70-privileges-scale')

  // Filters and paging go to the server.
  const matrix = page.getByTestId('privileges-matrix')
  await page.getByTestId('filter-schema').selectOption('e2e_scale_1')
  await page.getByTestId('filter-power').selectOption('drop')
  await expect(page.getByTestId('matrix-count')).toContainText(`${drop} of`)
  const next = page.waitForRequest((r) => r.url().includes('/privileges/objects') && r.url().includes('offset=100'))
  await page.getByTestId('filter-power').selectOption('')
  await page.getByTestId('filter-schema').selectOption('')
  await expect(page.getByTestId('matrix-count')).toContainText('showing 1–100')
  await page.getByTestId('matrix-next').click()
  await next
  await expect(page.getByTestId('matrix-count')).toContainText('showing 101–200')

  // Issue 15: the header stays in view while rows scroll; "cannot" reads at ≥ 4.5:1; one tab stop for the rows.
  const wrap = matrix.locator('xpath=..')
  await wrap.evaluate((el) => { el.scrollTop = 1500 })
  const [wrapBox, headBox] = [await wrap.boundingBox(), await matrix.locator('thead th').first().boundingBox()]
  expect(Math.abs(headBox!.y - wrapBox!.y)).toBeLessThan(2)
  await expect(page.getByTestId('matrix-legend')).toContainText('cannot')
  const cannot = await matrix.locator('.no').first().evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).color)
  expect((1.05) / (luminance(cannot) + 0.05)).toBeGreaterThanOrEqual(4.5)
  await expect(matrix.locator('tbody tr[tabindex="0"]')).toHaveCount(1)

  // Keyboard: arrows move between rows, Enter opens the drawer, Tab stays inside it, Escape closes it
  // and focus returns to the row.
  const rows = matrix.locator('tbody tr.row')
  await rows.first().focus()
  await page.keyboard.press('ArrowDown')
  await expect(rows.nth(1)).toBeFocused()
  const name = (await rows.nth(1).locator('td').first().textContent())!.trim()
  await page.keyboard.press('Enter')
  const drawer = page.getByTestId('privileges-drawer')
  await expect(drawer).toContainText(name)
  await expect(drawer).toContainText('SELECT: yes')
  await expect(drawer.getByRole('button', { name: 'Close' })).toBeFocused()
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab')
    expect(await drawer.evaluate((el) => el.contains(el.ownerDocument.activeElement))).toBe(true)
  }
  await shot(page, '71-privileges-scale-drawer')
  await page.keyboard.press('Escape')
  await expect(drawer).toBeHidden()
  await expect(rows.nth(1)).toBeFocused()

  await page.setViewportSize({ width: 390, height: 844 })
  await page.goto(`${baseURL()}/targets/production/privileges`)
  await expect(page.getByTestId('privileges-verdict')).toContainText('UNSAFE', { timeout: 30_000 })
  await expect(page.getByTestId('matrix-count')).toContainText('showing 1–100')
  await shot(page, '72-privileges-scale-phone')
})
