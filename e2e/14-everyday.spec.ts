import { expect, test, type Browser, type Page } from '@playwright/test'
import { baseURL, loginAsAdmin, shot } from './helpers'

// Issue 15's everyday actions: users (role, reset, own password), checklist notes after the tick, abandoning a run,
// and a viewer told which role an action needs instead of not seeing it.
const USER = 'everyday-olga'

async function loginAs(browser: Browser, username: string, password: string, width = 1440): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width, height: 900 } })).newPage()
  await page.goto(`${baseURL()}/login`)
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
  await page.waitForURL((url) => url.pathname === '/')
  return page
}

test('an admin changes a role and resets a password; the user logs in with it and changes it; a viewer sees what needs a higher role', async ({ page, browser }) => {
  test.setTimeout(90_000)
  await loginAsAdmin(page)
  await page.getByRole('link', { name: 'Users' }).click()
  const form = page.locator('form', { hasText: 'Add a user' })
  await form.getByLabel('Username').fill(USER)
  await form.getByLabel('Password').fill('olga-first-password')
  await form.getByLabel('Role').selectOption('operator')
  await form.getByRole('button', { name: 'Add user' }).click()
  const row = page.getByTestId(`user-${USER}`)
  await expect(row).toContainText('operator')
  const olgaBefore = await loginAs(browser, USER, 'olga-first-password')

  await row.getByRole('button', { name: `Change role of ${USER}` }).click()
  const dialog = page.getByRole('dialog', { name: `Change the role of ${USER}` })
  await expect(dialog.getByLabel('Role')).toBeFocused()
  await expect(dialog.getByRole('button', { name: 'Change role' })).toBeDisabled()
  await dialog.getByLabel('Role').selectOption('viewer')
  await shot(page, '78-users-change-role')
  await dialog.getByRole('button', { name: 'Change role' }).click()
  await expect(page.getByTestId('users-done')).toHaveText(`${USER} is now viewer.`)
  await expect(row).toContainText('viewer')

  await row.getByRole('button', { name: `Reset password of ${USER}` }).click()
  const reset = page.getByRole('dialog', { name: `Reset the password of ${USER}` })
  await reset.getByLabel(/New password/).fill('olga-reset-password')
  await reset.getByRole('button', { name: 'Reset password' }).click()
  await expect(page.getByTestId('users-done')).toContainText('password was reset; their sessions ended')
  await shot(page, '78-users-after')

  // Her session from before the change has ended; the reset password works.
  await olgaBefore.reload()
  await expect(olgaBefore).toHaveURL(/\/login/)
  const olga = await loginAs(browser, USER, 'olga-reset-password')
  await olga.getByRole('link', { name: 'My account' }).click()
  await expect(olga.getByRole('heading', { name: 'My account' })).toBeVisible()
  await expect(olga.locator('main')).toContainText(`Signed in as ${USER}, role viewer`)
  await olga.getByLabel('Current password').fill('not-the-password')
  await olga.getByLabel(/^New password \(at least/).fill('olga-own-password')
  await olga.getByLabel('New password again').fill('olga-own-password')
  await olga.getByRole('button', { name: 'Change password' }).click()
  await expect(olga.getByRole('alert')).toContainText('not your current password')
  await olga.getByLabel('Current password').fill('olga-reset-password')
  await olga.getByRole('button', { name: 'Change password' }).click()
  await expect(olga.getByTestId('password-changed')).toBeVisible()
  await shot(olga, '78-account-changed')

  // As a viewer the checklist's start buttons are there, disabled, saying which role they need.
  await olga.goto(`${baseURL()}/targets/staging/checklists`)
  const start = olga.getByTestId('start-pre')
  await expect(start).toBeDisabled()
  await expect(start).toHaveAccessibleDescription('Needs the operator role; you are a viewer.')
  await shot(olga, '78-viewer-role-hint')

  // The newest password is the one that works.
  await olga.getByRole('button', { name: 'Log out' }).click()
  const phone = await loginAs(browser, USER, 'olga-own-password', 390)
  await phone.goto(`${baseURL()}/account`)
  await expect(phone.getByRole('heading', { name: 'My account' })).toBeVisible()
  await shot(phone, '78-account-phone')
})

test('an operator notes what was checked after ticking, then abandons the run with a reason', async ({ page }) => {
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/staging/checklists`)
  await page.getByTestId('start-pre').click()
  const run = page.getByTestId('checklist-run')
  await expect(run.getByTestId('run-status')).toHaveText(/open/)
  const item = run.locator('li').filter({ has: page.getByTestId('tick') }).first()
  await item.getByTestId('tick').check()
  await expect(item.getByTestId('ticked-by')).toContainText('Ticked by admin')

  await item.getByRole('button', { name: 'Add a note' }).click()
  await expect(item.getByTestId('note-input')).toBeFocused()
  await item.getByTestId('note-input').fill('rollback: restore the 09:00 backup, runbook step 4')
  await item.getByRole('button', { name: 'Save note' }).click()
  await expect(item.getByTestId('note-text')).toContainText('rollback: restore the 09:00 backup, runbook step 4 · note by admin')
  await item.getByRole('button', { name: 'Edit note' }).click()
  await item.getByTestId('note-input').fill('rollback: restore the 09:00 backup, runbook step 5')
  await item.getByRole('button', { name: 'Save note' }).click()
  await expect(item.getByTestId('note-text')).toContainText('runbook step 5')
  await expect(item.getByTestId('tick')).toBeChecked()
  await shot(page, '78-checklist-note')

  await run.getByTestId('abandon').click()
  const dialog = page.getByRole('dialog', { name: /^Abandon pre-deploy checklist #\d+$/ })
  await expect(dialog.getByTestId('abandon-reason')).toBeFocused()
  await expect(dialog.getByRole('button', { name: 'Abandon run' })).toBeDisabled()
  await dialog.getByTestId('abandon-reason').fill('deploy moved to Monday')
  await dialog.getByRole('button', { name: 'Abandon run' }).click()
  await expect(run.getByTestId('abandon-banner')).toContainText('Abandoned by admin')
  await expect(run.getByTestId('abandon-banner')).toContainText('deploy moved to Monday')
  await expect(run.getByTestId('tick')).toHaveCount(0)
  await expect(page.getByTestId('checklist-history').getByTestId('abandoned').first()).toContainText('deploy moved to Monday')
  await shot(page, '78-checklist-abandoned')
})
