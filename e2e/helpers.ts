import AxeBuilder from '@axe-core/playwright'
import { expect, type Page } from '@playwright/test'

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

/**
 * Runs axe on the page (or only inside `within`, e.g. an open dialog) and fails on any serious or critical
 * violation, naming the rule and the first elements it found so the failure says what to fix.
 */
export async function expectAccessible(page: Page, what: string, within?: string) {
  const builder = new AxeBuilder({ page })
  if (within) builder.include(within)
  const { violations } = await builder.analyze()
  const blocking = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  expect(blocking.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')}`), `axe on ${what}`).toEqual([])
}
