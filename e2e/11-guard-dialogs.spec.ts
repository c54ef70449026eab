import { expect, test } from '@playwright/test'
import { baseURL, loginAsAdmin, shot } from './helpers'

// Guard dialogs state their preconditions before the click, mark production, and ask for typing only where an action cannot be taken back.
test('the run dialog on production lists its preconditions, keeps Run disabled until they hold, and says it is production', async ({ page }) => {
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/production/migrations`)
  await page.getByTestId('run-migrations').click()
  const dialog = page.getByRole('dialog')
  await expect(dialog.getByRole('heading', { level: 2 })).toHaveText(/^Run \d+ migrations? on .+/)
  await expect(dialog.getByTestId('environment-badge')).toHaveText('production')
  await expect(dialog.getByTestId('production-note')).toContainText('This is production.')
  await expect(dialog.getByTestId('up-to')).toBeFocused()

  const checks = dialog.getByTestId('run-checks')
  await expect(checks).toBeVisible()
  await expect(dialog.getByTestId('run-check-tracker')).toHaveAttribute('data-state', 'ok')
  await expect(dialog.getByTestId('run-check-no-other-run')).toHaveText(/No other run is in progress/)
  await expect(dialog.getByTestId('run-check-backup')).toContainText(/newest usable backup is \d+ (minutes?|hours?|days?) old.+a run needs one from the last 60 minutes/)
  await expect(dialog.getByTestId('run-check-backup')).not.toContainText(/override|\d{3,} minutes/)
  // 006_drop_legacy_sessions drops a table: nothing runs until each destructive statement is accepted.
  await expect(dialog.getByTestId('run-check-acknowledged')).toHaveAttribute('data-state', 'failed')
  await dialog.getByTestId('confirm-input').fill('production')
  const run = dialog.getByRole('button', { name: 'Run migrations' })
  await expect(run).toBeDisabled()
  await shot(page, '85-run-dialog-production')

  await page.setViewportSize({ width: 390, height: 844 })
  await shot(page, '85-run-dialog-phone')
  await page.setViewportSize({ width: 1440, height: 900 })

  for (const box of await dialog.getByTestId('run-acks').getByRole('checkbox').all()) await box.check()
  await expect(dialog.getByTestId('run-check-acknowledged')).toHaveAttribute('data-state', 'ok')
  if (await dialog.getByTestId('run-check-backup').getAttribute('data-state') === 'failed') {
    await expect(dialog.getByTestId('run-check-backup').getByRole('link', { name: 'Take a backup on Backups' })).toHaveAttribute('href', '/targets/production/backups')
    await expect(run).toBeDisabled()
  } else await expect(run).toBeEnabled()
  await dialog.getByTestId('confirm-input').fill('Production')
  await shot(page, '85-run-dialog-accepted')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(dialog).toBeHidden()
})

test('a backup of production is confirmed with one click, no typing, and production is still named', async ({ page }) => {
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/production/backups`)
  await page.getByTestId('backup-now').click()
  const dialog = page.getByRole('dialog')
  await expect(dialog.getByTestId('production-note')).toContainText('This is production.')
  await expect(dialog.getByTestId('confirm-input')).toHaveCount(0)
  await expect(dialog.getByLabel('Label (optional)')).toBeFocused()
  await shot(page, '85-backup-confirm-plain')
  await dialog.getByRole('button', { name: 'Start backup' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('job-progress')).toContainText('succeeded', { timeout: 30_000 })
})
