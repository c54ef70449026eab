import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { parse } from 'dotenv'
import { baseURL, loginAsAdmin, shot } from './helpers'

test('an admin reads production\'s safety report, downloads it as Markdown and prints it without the navigation', async ({ page }) => {
  test.setTimeout(60_000)
  const appRole = parse(readFileSync(process.env.E2E_PRODUCTION_ENV!, 'utf8')).DB_USER
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/production/report`)

  const report = page.getByTestId('safety-report')
  await expect(report.getByRole('heading', { level: 1 })).toHaveText('Database safety in production: Production')
  await expect(report).toContainText(/READY TO DEPLOY|NOT READY/)
  await expect(report.getByRole('heading', { name: '1. The app role\'s real powers' })).toBeVisible()
  await expect(report).toContainText(`Role`)
  await expect(report.locator('table').nth(1)).toContainText(appRole)
  await expect(report.getByRole('heading', { name: 'What the old check would have missed' })).toBeVisible()
  await expect(report).toContainText('process.env.SKIP_MIGRATIONS === \'true\'')
  await shot(page, '95-safety-report')

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-download').click()])
  expect(download.suggestedFilename()).toMatch(/^safety-report-production-\d{8}-\d{4}\.md$/)
  const markdown = readFileSync((await download.path())!, 'utf8')
  expect(markdown).toMatch(/^# Database safety in production: Production\n/)
  expect(markdown).toContain(`\`${appRole}\``)

  await page.emulateMedia({ media: 'print' })
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden()
  await expect(page.getByRole('button', { name: 'Print' })).toBeHidden()
  await expect(report).toBeVisible()
  await shot(page, '96-safety-report-print')
})
