import { expect, test } from '@playwright/test'
import { baseURL, loginAsAdmin, shot } from './helpers'

test('an unauthenticated visitor is sent to the login page and a wrong password is refused', async ({ page }) => {
  await page.goto(`${baseURL()}/targets/production/privileges`)
  await expect(page).toHaveURL(/\/login\?redirect=/)
  await page.getByLabel('Username').fill('admin')
  await page.getByLabel('Password').fill('not-the-password')
  await page.getByRole('button', { name: 'Sign in' }).click()
  await expect(page.getByRole('alert')).toHaveText('Wrong username or password')
  await shot(page, '01-login-refused')
})

test('admin logs in, sees production, switches to staging and sees its different state', async ({ page }) => {
  await loginAsAdmin(page)
  await page.getByTestId('target-switcher').selectOption('production')
  await expect(page).toHaveURL(/\/targets\/production$/)

  // Production: SKIP_MIGRATIONS=true on line 3, then an appended TRUE that wins and reads as off.
  const skip = page.getByTestId('skip-migrations-card')
  await expect(skip.getByTestId('skip-banner')).toContainText('2 pending migrations WILL run on the next restart')
  await expect(skip.getByTestId('skip-value')).toHaveText('"TRUE"')
  await expect(skip.getByTestId('skip-warnings')).toContainText('set 2 times')
  await expect(skip.getByTestId('skip-warnings')).toContainText('looks like on')
  const conn = page.getByTestId('connection-card')
  await expect(conn).toContainText('Connected')
  await expect(conn).toContainText('e2e_crearis_prod')
  await expect(conn).toContainText('e2e_crearis_admin')
  await expect(page.getByTestId('summary-privileges')).toContainText('unsafe')
  await expect(page.getByTestId('summary-migrations')).toContainText('pending')
  await expect(page.getByTestId('summary-backups')).toContainText('corrupt')
  await shot(page, '02-overview-production')

  await page.getByTestId('target-switcher').selectOption('staging')
  await expect(page).toHaveURL(/\/targets\/staging$/)
  await expect(page.getByTestId('connection-card')).toContainText('e2e_crearis_staging')
  await expect(page.getByTestId('skip-value')).toHaveText('"false"')
  await expect(page.getByTestId('skip-warnings')).toHaveCount(0)
  await shot(page, '03-overview-staging')
})

test('a deep link survives a reload and keeps the target switcher in step', async ({ page }) => {
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/staging/backups`)
  await expect(page.getByRole('heading', { name: 'Backups', level: 1 })).toBeVisible()
  await expect(page.getByTestId('target-switcher')).toHaveValue('staging')
  await page.reload()
  await expect(page.getByRole('heading', { name: 'Backups', level: 1 })).toBeVisible()
  await expect(page.getByTestId('backups-table')).toContainText('db_backup_')
})

test('an admin adds a viewer who then cannot manage users', async ({ page, browser }) => {
  await loginAsAdmin(page)
  await page.getByRole('link', { name: 'Users' }).click()
  await page.getByLabel('Username').fill('val')
  await page.getByLabel('Password').fill('viewer-password-1')
  await page.getByLabel('Role').selectOption('viewer')
  await page.getByRole('button', { name: 'Add user' }).click()
  await expect(page.getByRole('cell', { name: 'val', exact: true })).toBeVisible()
  await shot(page, '04-users')

  const other = await browser.newPage()
  await other.goto(`${baseURL()}/login`)
  await other.getByLabel('Username').fill('val')
  await other.getByLabel('Password').fill('viewer-password-1')
  await other.getByRole('button', { name: 'Sign in' }).click()
  await expect(other.getByTestId('home-targets')).toBeVisible()
  await expect(other.getByRole('link', { name: 'Users' })).toHaveCount(0)
  await other.getByRole('button', { name: 'Log out' }).click()
  await expect(other).toHaveURL(/\/login$/)
  await other.close()
})
