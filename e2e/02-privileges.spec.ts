import { expect, test } from '@playwright/test'
import { baseURL, loginAsAdmin, shot } from './helpers'

test('a reviewer sees why production\'s app role is unsafe, how, and what to run about it', async ({ page }) => {
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/production/privileges`)
  const verdict = page.getByTestId('privileges-verdict')
  await expect(verdict).toContainText('UNSAFE')
  await expect(verdict).toContainText('e2e_crearis_admin')
  await expect(verdict).toContainText(/owns 3 tables/)
  await expect(page.getByTestId('seed-check')).toContainText('role_table_grants')

  const finding = page.getByTestId('privilege-finding').filter({ hasText: 'owns 3 tables' })
  await expect(finding).toBeVisible()
  await expect(page.getByTestId('remediation-script')).toContainText('ALTER TABLE "public"."users" OWNER TO')
  await expect(page.getByTestId('privilege-finding').filter({ hasText: 'DROP DATABASE' })).toHaveCount(1)
  await expect(page.locator('pre').filter({ hasText: 'REVOKE DROP' })).toHaveCount(0)

  await page.getByTestId('dangerous-only').check()
  const matrix = page.getByTestId('privileges-matrix')
  await expect(matrix).toContainText('public.users')
  await expect(matrix).not.toContainText('public.projects')
  await shot(page, '07-privileges-production')

  await matrix.getByRole('cell', { name: 'public.users', exact: true }).click()
  const drawer = page.getByTestId('privileges-drawer')
  await expect(drawer).toContainText('DROP: yes')
  await expect(drawer).toContainText('e2e_crearis_admin owns it')
  await shot(page, '08-privileges-drawer')
  await drawer.getByRole('button', { name: 'Close' }).click()
  await expect(drawer).toBeHidden()
})

test('staging\'s least-privilege role is safe', async ({ page }) => {
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/staging/privileges`)
  await expect(page.getByTestId('privileges-verdict')).toContainText('SAFE: e2e_crearis_staging cannot drop or truncate anything')
  await page.getByTestId('dangerous-only').check()
  await expect(page.getByTestId('privileges-matrix')).toContainText('No objects match')
  await shot(page, '09-privileges-staging')
})
