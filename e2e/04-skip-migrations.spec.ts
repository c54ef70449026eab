import { readFileSync } from 'node:fs'
import { expect, test } from '@playwright/test'
import { baseURL, loginAsAdmin, shot } from './helpers'

test('an admin fixes production\'s SKIP_MIGRATIONS near miss with one confirmation (it is set back the same way)', async ({ page }) => {
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/production`)
  await expect(page.getByTestId('skip-banner')).toContainText('WILL run')
  await page.getByTestId('skip-toggle').click()
  const dialog = page.getByRole('dialog')
  await expect(dialog).toContainText('Skip migrations on the next start?')
  const submit = dialog.getByRole('button', { name: 'Set SKIP_MIGRATIONS=true' })
  await expect(dialog.getByTestId('production-note')).toContainText('This is production.')
  await expect(dialog.getByTestId('confirm-input')).toHaveCount(0)
  await shot(page, '05-skip-migrations-confirm')
  await submit.click()
  await expect(dialog).toBeHidden()
  await expect(page.getByTestId('skip-banner')).toContainText('Migrations are skipped on restart')
  await expect(page.getByTestId('skip-value')).toHaveText('"true"')
  // Only the winning (last) assignment's value changed: the earlier duplicate is left as it was, and still named.
  await expect(page.getByTestId('skip-warnings')).not.toContainText('looks like on')
  await expect(page.getByTestId('skip-warnings')).toContainText('set 2 times')
  const env = readFileSync(process.env.E2E_PRODUCTION_ENV!, 'utf8')
  expect(env.match(/^SKIP_MIGRATIONS=.*$/gm)).toEqual(['SKIP_MIGRATIONS=true  # <-- KEY SETTING', 'SKIP_MIGRATIONS=true'])
  await shot(page, '06-skip-migrations-fixed')
})
