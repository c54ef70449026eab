import { expect, test } from '@playwright/test'
import { baseURL, loginAsAdmin, shot } from './helpers'

// Staging in the demo world: 006_drop_legacy_sessions not applied (pending, or failed after 03-migrations), and usable
// backups (the demo's nightly plain dumps, plus the pre-deploy one 07-deploy took and restore-tested).
test('an admin rehearses staging\'s pending migration on a copy and reads the result per migration', async ({ page }) => {
  test.setTimeout(90_000)
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/staging/migrations`)
  const card = page.getByTestId('rehearsal-card')
  await expect(card.getByTestId('rehearsal-empty')).toContainText('No rehearsal yet')

  await page.getByTestId('rehearse').click()
  const job = page.getByTestId('job-progress').filter({ hasText: 'Rehearsal on a copy' })
  await expect(job).toBeVisible()
  await expect(page.getByTestId('rehearse')).toBeDisabled()
  await expect(job).toContainText('succeeded', { timeout: 60_000 })
  await expect(job.getByTestId('job-log')).toContainText('dropped scratch database')

  await expect(card.getByTestId('rehearsal-outcome')).toHaveText('passed')
  await expect(card.getByTestId('rehearsal-backup')).toContainText(/dbsafe_staging_|db_backup_/)
  const step = card.getByTestId('rehearsed-006_drop_legacy_sessions')
  await expect(step.getByTestId('rehearsed-status')).toHaveText('passed')
  await expect(step).toContainText(/\d+ ms|\d+ s/)
  const locks = step.getByTestId('rehearsal-locks')
  await expect(locks.getByRole('row', { name: /^legacy_sessions \(dropped\)/ })).toContainText('ACCESS EXCLUSIVE')
  await expect(locks.getByRole('row', { name: /^users\b/ })).toContainText('ACCESS EXCLUSIVE')
  await expect(page.getByTestId('rehearse')).toBeEnabled()
  await card.scrollIntoViewIfNeeded()
  await shot(page, '50-rehearsal-result')

  await page.getByTestId('run-migrations').click()
  const dialog = page.getByRole('dialog')
  await expect(dialog.getByTestId('run-rehearsal-note')).toContainText(/Rehearsed .* 1 migration passed/)
  await shot(page, '51-rehearsal-run-dialog')
  await dialog.getByRole('button', { name: 'Cancel' }).click()

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deploy' }).click()
  const rehearsalStep = page.getByTestId('deploy-step-3')
  await expect(rehearsalStep.getByTestId('step-state')).toHaveText('done')
  await expect(rehearsalStep.getByTestId('step-summary')).toContainText('1 migration passed')
  await shot(page, '52-rehearsal-deploy-step')
})

// The viewer "val" is the one 01-foundation added.
test('a viewer reads the rehearsal but cannot start one', async ({ browser }) => {
  const page = await browser.newPage()
  await page.goto(`${baseURL()}/login`)
  await page.getByLabel('Username').fill('val')
  await page.getByLabel('Password').fill('viewer-password-1')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => url.pathname === '/')
  await page.goto(`${baseURL()}/targets/staging/migrations`)
  await expect(page.getByTestId('rehearsal-card').getByTestId('rehearsal-outcome')).toHaveText('passed')
  await expect(page.getByTestId('rehearse')).toBeDisabled()
  await expect(page.getByTestId('rehearse')).toHaveAccessibleDescription('Needs the operator role; you are a viewer.')
  await page.goto(`${baseURL()}/targets/production/migrations`)
  await expect(page.getByTestId('rehearsal-empty')).toContainText('Operators and admins can start one.')
  await shot(page, '53-rehearsal-viewer-empty')
  await page.close()
})
