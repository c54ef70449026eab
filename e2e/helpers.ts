import type { Page } from '@playwright/test'

export const baseURL = () => process.env.E2E_BASE_URL!
export const shot = (page: Page, name: string) => page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true })

export async function loginAsAdmin(page: Page) {
  await page.goto(`${baseURL()}/login`)
  await page.getByLabel('Username').fill('admin')
  await page.getByLabel('Password').fill(process.env.E2E_ADMIN_PASSWORD!)
  await page.getByRole('button', { name: 'Sign in' }).click()
  // Login lands on the home page: wait for it, or a click made meanwhile is overridden by the navigation.
  await page.waitForURL((url) => url.pathname === '/')
  await page.getByRole('heading', { name: 'Targets', level: 1 }).waitFor()
}
