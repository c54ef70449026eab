import { expect, test } from '@playwright/test'
import { baseURL, loginAsAdmin, shot } from './helpers'

test('an operator sees the corrupt nightly backup, backs up now with live progress, and restore-tests it', async ({ page }) => {
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/production/backups`)
  const banner = page.getByTestId('backups-banner')
  await expect(banner).toContainText('Not ready to restore')
  await expect(banner).toContainText('is corrupt')
  const table = page.getByTestId('backups-table')
  await expect(table.getByRole('row')).toHaveCount(5)
  await expect(table.getByRole('row').filter({ hasText: 'corrupt' })).toHaveCount(1)
  await shot(page, '13-backups-before')

  await page.getByTestId('backup-now').click()
  const dialog = page.getByRole('dialog')
  await dialog.getByLabel('Label (optional)').fill('before deploy')
  await dialog.getByRole('button', { name: 'Start backup' }).click()
  const job = page.getByTestId('job-progress')
  await expect(job).toContainText('succeeded', { timeout: 30_000 })
  await expect(job.getByTestId('job-log')).toContainText('events')
  await expect(table.getByRole('row')).toHaveCount(6)
  const fresh = table.getByRole('row').filter({ hasText: 'dbsafe_production_' })
  await expect(fresh).toContainText('not restore-tested')
  await expect(fresh).toContainText('admin')
  // The label typed in the dialog is shown with the file.
  await expect(fresh).toContainText('before deploy')
  await shot(page, '14-backups-taken')

  await fresh.getByRole('button', { name: /Restore-test/ }).click()
  await expect(page.getByTestId('job-progress')).toContainText('succeeded', { timeout: 30_000 })
  await expect(fresh).toContainText('restore-tested')
  await expect(banner).toContainText('A restore-tested backup from')
  await shot(page, '15-backups-verified')
})
