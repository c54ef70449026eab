import { expect, test } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { baseURL, loginAsAdmin, shot } from './helpers'

// Read-only: the demo world's roles are reviewed, the script is copied and downloaded, never run.
test('production\'s remediation is one ordered script with a deploy note, copied and downloaded whole', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'])
  await page.setViewportSize({ width: 1440, height: 900 })
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/production/privileges`)
  const remedy = page.getByTestId('privileges-remediation')
  await expect(remedy.getByTestId('remediation-steps').locator('li strong')).toHaveText([
    'Create the owner role e2e_crearis_admin_owner.', 'Move ownership to e2e_crearis_admin_owner.',
    'Give e2e_crearis_admin what the app keeps.', 'Take away what e2e_crearis_admin should not have.',
  ])
  await expect(remedy.getByTestId('remediation-deploys')).toContainText('migrationDatabaseUrl')
  await expect(remedy.getByTestId('remediation-deploys')).toContainText('keeps SELECT, INSERT, UPDATE and DELETE')
  await expect(remedy.getByTestId('remediation-deploys')).toContainText('runs DDL when it starts')

  // The script is a labelled region that takes focus and scrolls with the keyboard.
  const script = page.getByRole('region', { name: 'Remediation script for e2e_crearis_admin' })
  await script.focus()
  await expect(script).toBeFocused()
  await page.keyboard.press('PageDown')
  await expect.poll(() => script.evaluate((el) => el.scrollTop)).toBeGreaterThan(0)
  const text = await script.textContent()
  expect(text!.match(/^-- \d\. .*$/gm)).toHaveLength(4)
  expect(text!.indexOf('CREATE ROLE')).toBeLessThan(text!.indexOf('ALTER TABLE "public"."users" OWNER TO'))
  await script.evaluate((el) => { el.scrollTop = 0 })
  await shot(page, '75-remediation-production')

  await remedy.getByRole('button', { name: 'Copy script' }).click()
  await expect(remedy.getByRole('button', { name: 'Copied' })).toBeVisible()
  expect(await page.evaluate('navigator.clipboard.readText()')).toBe(text)

  const [download] = await Promise.all([page.waitForEvent('download'), remedy.getByRole('button', { name: 'Download .sql' }).click()])
  expect(download.suggestedFilename()).toBe('dbsafe-remediation-e2e_crearis_admin.sql')
  expect(readFileSync((await download.path())!, 'utf8')).toBe(text)
})

test('on a phone the key sentence wraps whole, and the script scrolls inside its card', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 })
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/production/privileges`)
  const remedy = page.getByTestId('privileges-remediation')
  const lead = remedy.locator('p.lead')
  await expect(lead).toContainText('Review it, then run it once as a superuser with psql -v ON_ERROR_STOP=1 -f. dbsafe never runs it.')
  await lead.scrollIntoViewIfNeeded()
  // Nothing in the card is cut off or pushes it wider: long lines scroll inside the script's own box.
  const fits = (el: { scrollWidth: number, clientWidth: number }) => el.scrollWidth <= el.clientWidth
  expect(await lead.evaluate(fits)).toBe(true)
  expect(await remedy.evaluate(fits)).toBe(true)
  expect(await remedy.getByTestId('remediation-deploys').evaluate(fits)).toBe(true)
  const [card, script] = [(await remedy.boundingBox())!, (await remedy.getByTestId('remediation-script').boundingBox())!]
  expect(script.x + script.width).toBeLessThanOrEqual(card.x + card.width)
  await shot(page, '75-remediation-phone')
})

test('the owner role is judged as the owner role, with no "<owner>_owner" to create', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 })
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/production/privileges?role=e2e_crearis_owner`)
  const verdict = page.getByTestId('privileges-verdict')
  await expect(verdict).toContainText('OWNER ROLE: e2e_crearis_owner owns the objects and cannot log in')
  await expect(verdict).toContainText('fine as long as the app does not log in as it')
  await expect(verdict).not.toContainText('UNSAFE')
  await expect(page.getByTestId('privileges-remediation')).toHaveCount(0)
  await expect(page.getByText('e2e_crearis_owner_owner')).toHaveCount(0)
  await shot(page, '75-owner-role')
})
