import { readFileSync } from 'node:fs'
import { expect, test, type Page } from '@playwright/test'
import { parse } from 'dotenv'
import pg from 'pg'
import { baseURL, loginAsAdmin, shot } from './helpers'

// The app's own long transaction on staging: while it holds `users`, pg_dump waits with its file open, so the
// backup stays running for as long as the test needs to look at it.
async function holdUsersTable(): Promise<pg.Client> {
  const env = parse(readFileSync(process.env.E2E_STAGING_ENV!, 'utf8'))
  const client = new pg.Client({ host: env.DB_HOST, port: Number(env.DB_PORT), user: env.DB_USER, password: env.DB_PASSWORD, database: env.DB_NAME })
  await client.connect()
  await client.query('BEGIN; LOCK TABLE users IN ACCESS EXCLUSIVE MODE')
  return client
}

async function login(page: Page, username: string, password: string) {
  await page.goto(`${baseURL()}/login`)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => url.pathname === '/')
}

test('a running backup stays in sight: after leaving the page, a reload, for a viewer, and it ends in words', async ({ page, browser }) => {
  test.setTimeout(90_000)
  const holder = await holdUsersTable()
  try {
    await loginAsAdmin(page)
    const viewerPassword = 'jobwatcher-password-1'
    const created = await page.request.post(`${baseURL()}/api/users`, { data: { username: 'jobwatcher', password: viewerPassword, role: 'viewer' } })
    expect(created.status()).toBe(201)

    await page.goto(`${baseURL()}/targets/staging/backups`)
    await page.getByTestId('backup-now').click()
    const dialog = page.getByRole('dialog')
    await dialog.getByRole('button', { name: 'Start backup' }).click()
    const card = page.getByTestId('job-progress')
    await expect(card).toHaveCount(1)
    await expect(card).toContainText('running')
    const jobId = Number((await card.getAttribute('id'))!.replace('job-', ''))
    await expect(card).toContainText(`Backup #${jobId}`)

    // Away and back, as the SPA navigates.
    const nav = page.getByRole('navigation', { name: 'Main' })
    await nav.getByRole('link', { name: 'Overview' }).click()
    await expect(page.getByTestId('job-progress')).toHaveCount(0)
    await nav.getByRole('link', { name: 'Backups' }).click()
    const again = page.locator(`#job-${jobId}`)
    await expect(again).toContainText(`Backup #${jobId}`)
    await expect(again).toContainText('running')
    const writing = page.getByTestId('being-written')
    await expect(writing).toHaveText(`being written by job #${jobId}`)
    await expect(writing).toHaveAttribute('href', `#job-${jobId}`)
    await shot(page, '80-jobs-backup-running-after-navigation')

    // A second click follows the running backup instead of being refused.
    const button = page.getByTestId('backup-now')
    await expect(button).toHaveText(`Backup running: follow job #${jobId}`)
    await button.click()
    await expect(again).toBeFocused()
    await expect(page.getByRole('dialog')).toHaveCount(0)

    await page.reload()
    await expect(page.locator(`#job-${jobId}`)).toContainText('running')
    await expect(page.getByTestId('being-written')).toHaveText(`being written by job #${jobId}`)

    // A second person, a viewer, sees the same backup going.
    const other = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const viewer = await other.newPage()
    await login(viewer, 'jobwatcher', viewerPassword)
    await viewer.goto(`${baseURL()}/targets/staging/backups`)
    const seen = viewer.locator(`#job-${jobId}`)
    await expect(seen).toContainText(`Backup #${jobId}`)
    await expect(seen).toContainText('running')
    await expect(viewer.getByTestId('being-written')).toHaveText(`being written by job #${jobId}`)
    await expect(viewer.getByTestId('backup-now')).toBeDisabled()
    await shot(viewer, '80-jobs-backup-running-viewer-phone')

    await holder.query('COMMIT')
    for (const p of [page, viewer]) {
      const outcome = p.locator(`#job-${jobId}`).getByTestId('job-outcome')
      await expect(outcome).toHaveText(/^Backup finished: \d+(\.\d)? (kB|MB) in \d+ (ms|s)$/, { timeout: 30_000 })
      await expect(p.locator(`#job-${jobId}`).getByTestId('job-now')).toHaveCount(0)
      await expect(p.getByTestId('being-written')).toHaveCount(0)
      await expect(p.getByTestId('backups-table').getByRole('row').filter({ hasText: '.partial' })).toHaveCount(0)
    }
    await expect(page.getByTestId('backup-now')).toContainText('Back up now')
    await shot(page, '80-jobs-backup-finished')
    await shot(viewer, '80-jobs-backup-finished-viewer-phone')
    await other.close()
  } finally {
    await holder.end().catch(() => {})
  }
})
