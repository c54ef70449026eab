/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { expect, type Page, test } from '@playwright/test'
import { baseURL, expectAccessible, loginAsAdmin, shot } from './helpers'

// Every page as an admin, on a laptop and on a phone: no serious axe violation, and on the phone the page is never
// wider than the screen. Read-only: it runs after the specs that change the demo world and changes nothing itself.

const DESKTOP = { width: 1440, height: 900 }
const PHONE = { width: 390, height: 844 }

interface PageCase { name: string, path: string, prepare?: (page: Page) => Promise<void>, open?: (page: Page) => Promise<void> }

// Add a page here and it is checked at both sizes, with a phone screenshot e2e/screenshots/90-<name>.png.
const PAGES: PageCase[] = [
  { name: 'home', path: '/' },
  { name: 'overview', path: '/targets/production' },
  { name: 'privileges', path: '/targets/production/privileges' },
  { name: 'migrations', path: '/targets/production/migrations' },
  {
    name: 'migration-detail',
    path: '/targets/production/migrations',
    open: async (page) => {
      await page.getByTestId('migrations-table').getByRole('button').first().click()
      await expect(page.getByTestId('migration-detail')).toBeVisible()
      await page.getByTestId('migration-detail').scrollIntoViewIfNeeded()
    },
  },
  { name: 'backups', path: '/targets/production/backups' },
  { name: 'checklists', path: '/targets/staging/checklists' },
  { name: 'checklist-open', path: '/targets/staging/checklists?run=999999', prepare: (page) => showOpenRun(page, 'staging') },
  { name: 'deploy', path: '/targets/production/deploy' },
  { name: 'monitoring', path: '/targets/production/monitoring' },
  { name: 'safety-report', path: '/targets/production/report' },
  { name: 'account', path: '/account' },
  { name: 'audit', path: '/audit' },
  { name: 'users', path: '/users' },
  { name: 'tokens', path: '/tokens' },
  { name: 'not-found', path: '/no/such/page' },
]

async function settled(page: Page) {
  await expect(page.locator('main h1').first()).toBeVisible()
  await expect(page.locator('.skeleton')).toHaveCount(0, { timeout: 15_000 })
}

/** How wide the page is, and the outermost elements that stick out past the screen's right edge (to say what to fix). */
async function pageWidth(page: Page) {
  return page.evaluate(() => {
    const sticking = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right + window.scrollX > window.innerWidth + 1)
    const set = new Set(sticking)
    const outermost = sticking.filter((el) => !set.has(el.parentElement!))
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}`
    return { scroll: document.scrollingElement!.scrollWidth, screen: window.innerWidth, wide: outermost.slice(0, 5).map((el) => `${name(el.parentElement!)} > ${name(el)}`) }
  })
}

test('the sign-in page works on a phone and passes axe', async ({ page }) => {
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size)
    await page.goto(`${baseURL()}/login`)
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible()
    await expectAccessible(page, `login at ${size.width}`)
  }
  const { scroll, screen, wide } = await pageWidth(page)
  expect(scroll, `login is ${scroll} px wide on a ${screen} px screen: ${wide.join(', ')}`).toBeLessThanOrEqual(screen)
  await shot(page, '90-login')
})

for (const p of PAGES) {
  test(`${p.name}: passes axe at 1440 and 390 px, and fits a phone`, async ({ page }) => {
    test.setTimeout(90_000)
    await loginAsAdmin(page)
    await p.prepare?.(page)
    for (const size of [DESKTOP, PHONE]) {
      await page.setViewportSize(size)
      await page.goto(`${baseURL()}${p.path}`)
      await settled(page)
      await p.open?.(page)
      await expectAccessible(page, `${p.name} at ${size.width}`)
    }
    const { scroll, screen, wide } = await pageWidth(page)
    expect(scroll, `${p.name} is ${scroll} px wide on a ${screen} px screen: ${wide.join(', ')}`).toBeLessThanOrEqual(screen)
    await shot(page, `90-${p.name}`)
  })
}

test('on a phone the navigation folds behind a menu button that the keyboard can open and Escape closes', async ({ page }) => {
  await page.setViewportSize(PHONE)
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/production`)
  await settled(page)
  const nav = page.getByRole('navigation', { name: 'Main' })
  const menu = page.getByRole('button', { name: 'Menu' })
  await expect(nav).toBeHidden()
  await expect(page.getByRole('button', { name: 'Log out' })).toBeInViewport()
  // Production is marked on every page, by the switcher.
  await expect(page.getByRole('banner').getByTestId('environment-badge')).toHaveText('production')
  await expect(page.getByTestId('production-band')).toBeVisible()

  await menu.focus()
  await page.keyboard.press('Enter')
  await expect(menu).toHaveAttribute('aria-expanded', 'true')
  await expect(nav).toBeVisible()
  await shot(page, '91-menu-open')
  await page.keyboard.press('Escape')
  await expect(nav).toBeHidden()
  await expect(menu).toBeFocused()

  await menu.click()
  await nav.getByRole('link', { name: 'Backups' }).click()
  await expect(page).toHaveURL(/\/targets\/production\/backups$/)
  await expect(nav).toBeHidden()
})

test('the first Tab reaches "Skip to content", which moves focus past the navigation', async ({ page }) => {
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/staging`)
  await settled(page)
  await expect(page.getByTestId('production-band')).toHaveCount(0)
  await expect(page.getByRole('banner').getByTestId('environment-badge')).toHaveText('staging')
  await page.keyboard.press('Tab')
  const skip = page.getByRole('link', { name: 'Skip to content' })
  await expect(skip).toBeFocused()
  await expect(skip).toBeInViewport()
  await page.keyboard.press('Enter')
  await expect(page.locator('main')).toBeFocused()
})

test('an unknown address shows "Page not found" with a way home', async ({ page }) => {
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/production/nowhere`)
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible()
  await page.getByRole('link', { name: 'Go to the list of targets' }).click()
  await expect(page).toHaveURL(/\/$/)
  await expect(page.getByTestId('home-targets')).toBeVisible()
})

// The main dialogs, opened and closed again without confirming: axe inside each, at phone size.
const DIALOGS: { name: string, path: string, prepare?: (page: Page) => Promise<void>, open: (page: Page) => Promise<void> }[] = [
  { name: 'backup', path: '/targets/production/backups', open: (page) => page.getByTestId('backup-now').click() },
  { name: 'migration-run', path: '/targets/staging/migrations', open: (page) => page.getByTestId('run-migrations').click() },
  { name: 'skip-migrations', path: '/targets/production', open: (page) => page.getByTestId('skip-toggle').click() },
  { name: 'deploy-start', path: '/targets/staging/deploy', open: (page) => page.getByTestId('start-deploy').click() },
  {
    name: 'sign-off',
    path: '/targets/staging/checklists?run=999999',
    prepare: (page) => showOpenRun(page, 'staging'),
    open: (page) => page.getByTestId('signoff').click(),
  },
]

for (const d of DIALOGS) {
  test(`the ${d.name} dialog passes axe on a phone`, async ({ page }) => {
    await page.setViewportSize(PHONE)
    await loginAsAdmin(page)
    await d.prepare?.(page)
    await page.goto(`${baseURL()}${d.path}`)
    await settled(page)
    await d.open(page)
    const dialog = page.getByRole('dialog')
    await expect(dialog).toBeVisible()
    await expectAccessible(page, `${d.name} dialog`, 'dialog[open]')
    const { scroll, screen, wide } = await pageWidth(page)
    expect(scroll, `the ${d.name} dialog is ${scroll} px wide on a ${screen} px screen: ${wide.join(', ')}`).toBeLessThanOrEqual(screen)
    // The viewport only: a full-page shot would stretch the page behind the modal's backdrop.
    await page.screenshot({ path: `e2e/screenshots/91-dialog-${d.name}.png` })
    await page.keyboard.press('Escape')
    await expect(dialog).toBeHidden()
  })
}

/**
 * The sign-off dialog needs an open run with failing items; starting one would change the demo world, so the
 * browser is shown one made from the real pre-deploy template instead (the sign-off itself is never sent).
 */
async function showOpenRun(page: Page, target: string) {
  const templates = await (await page.request.get(`${baseURL()}/api/targets/${target}/checklists/templates`)).json()
  const template = templates.find((t: { phase: string }) => t.phase === 'pre')
  const items = template.items.map((it: { key: string, kind: string, label: string, help?: string, check?: string }, i: number) => ({
    key: it.key, position: i, kind: it.kind, label: it.label, help: it.help ?? null, check: it.check ?? null,
    status: i === 0 ? 'fail' : 'pending', evidence: null, checkedBy: null, checkedAt: null, note: null,
  }))
  const summary = { id: 999999, target, phase: 'pre', status: 'open', startedBy: 'admin', startedAt: new Date().toISOString(), completedAt: null,
    signedOffBy: null, signOffReason: null, total: items.length, passing: 0 }
  await page.route(`**/api/targets/${target}/checklists/runs`, (route) =>
    route.request().method() === 'GET' ? route.fulfill({ json: [summary] }) : route.abort())
  await page.route(`**/api/targets/${target}/checklists/runs/999999`, (route) => route.fulfill({ json: { ...summary, items } }))
}
