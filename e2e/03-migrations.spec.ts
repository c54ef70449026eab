import { expect, test } from '@playwright/test'
import { baseURL, loginAsAdmin, shot } from './helpers'

test('an admin reviews production\'s pending migrations and runs the safe one with a recorded override', async ({ page }) => {
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/production/migrations`)
  await expect(page.getByTestId('migrations-banner')).toContainText('2 pending migrations')
  const table = page.getByTestId('migrations-table')
  await expect(table.getByRole('row', { name: /006_drop_legacy_sessions/ })).toContainText('2 destructive')

  await table.getByRole('button', { name: '006_drop_legacy_sessions' }).click()
  const detail = page.getByTestId('migration-detail')
  await expect(detail.getByTestId('findings-summary')).toContainText('2 destructive')
  await expect(detail.getByTestId('migration-sql')).toContainText('drop-table')
  await expect(detail.getByTestId('migration-sql')).toContainText('drop-column')
  await expect(detail.getByTestId('migration-sql')).toContainText('DROP TABLE IF EXISTS legacy_sessions')
  await expect(detail.getByTestId('migration-sql').locator('.note.destructive')).toHaveCount(2)
  await shot(page, '10-migrations-review')

  await page.getByTestId('run-migrations').click()
  const dialog = page.getByRole('dialog')
  await dialog.getByTestId('up-to').selectOption('005_event_tags')
  await expect(dialog.getByText('Destructive statements')).toHaveCount(0)
  await dialog.getByTestId('confirm-input').fill('production')
  await dialog.getByRole('button', { name: 'Run migrations' }).click()
  // The newest production backup is corrupt and the others are a day old: the server refuses.
  await expect(dialog.getByRole('alert')).toContainText('no usable backup younger than 60 minutes')
  await dialog.getByLabel(/Reason/).fill('Index-only change, reviewed in staging yesterday')
  await dialog.getByRole('button', { name: 'Run migrations' }).click()
  await expect(dialog).toBeHidden()

  const job = page.getByTestId('job-progress')
  await expect(job).toContainText('succeeded', { timeout: 20_000 })
  await expect(job.getByTestId('job-log')).toContainText('CREATE INDEX events_tags_idx')
  await expect(table.getByRole('row', { name: /005_event_tags/ })).toContainText('applied')
  await expect(table.getByRole('row', { name: /006_drop_legacy_sessions/ })).toContainText('pending')
  await shot(page, '11-migrations-ran')
})

test('a migration the role is not allowed to run fails cleanly and says why', async ({ page }) => {
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/staging/migrations`)
  await page.getByTestId('run-migrations').click()
  const dialog = page.getByRole('dialog')
  for (const box of await dialog.getByRole('checkbox').all()) await box.check()
  await dialog.getByLabel(/Reason/).fill('Staging data is disposable')
  await dialog.getByTestId('confirm-input').fill('staging')
  await dialog.getByRole('button', { name: 'Run migrations' }).click()
  const job = page.getByTestId('job-progress')
  await expect(job).toContainText('failed', { timeout: 20_000 })
  await expect(job.getByTestId('job-error')).toContainText('006_drop_legacy_sessions at line 2: must be owner of table legacy_sessions')
  await expect(page.getByTestId('migrations-table').getByRole('row', { name: /006_drop_legacy_sessions/ })).toContainText('failed')
  await shot(page, '12-migrations-failed')
})
