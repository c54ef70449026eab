import { rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import pg from 'pg'
import { baseURL, loginAsAdmin, shot } from './helpers'

// Production in the demo world: its app role owns tables (never safe), SKIP_MIGRATIONS a near miss set twice (fixed to
// "true" by 04-skip-migrations when that ran first), 006_drop_legacy_sessions pending (005 applied by 03-migrations when
// that ran). The spec adds a release migration that GRANTs, so the privileges difference has something to show. The
// migrations dir is shared with staging: the file, its table and its tracker row are removed at the end.
const MIGRATION = join(dirname(process.env.E2E_PRODUCTION_ENV ?? '.'), 'migrations', '007_release_notes.sql')

const step = (page: Page, key: string) => page.getByTestId(`deploy-record-step-${key}`)
const state = (page: Page, key: string) => step(page, key).getByTestId('record-step-state')

async function override(page: Page, key: string, reason: string) {
  await step(page, key).getByTestId('override-step').click()
  const dialog = page.getByRole('dialog', { name: /^Override/ })
  await expect(dialog.getByTestId('environment-badge')).toHaveText('production')
  await dialog.getByTestId('reason-input').fill(reason)
  await dialog.getByRole('button', { name: 'Override' }).click()
  await expect(dialog).toBeHidden()
  await expect(state(page, key)).toHaveText('overridden')
}

// Leaves production as the later specs expect it: the file, its table (and the GRANT to PUBLIC) and its tracker row gone.
test.afterAll(async () => {
  rmSync(MIGRATION, { force: true })
  const db = new pg.Client(process.env.E2E_PRODUCTION_SUPERUSER_URL)
  await db.connect()
  try {
    await db.query(`DROP TABLE IF EXISTS release_notes; DELETE FROM dbsafe_migrations WHERE name = '007_release_notes'`)
  } finally {
    await db.end()
  }
})

test('an admin deploys production as a record: stopped at the gate, fixes and overrides, backs up, migrates, restarts and reads the privileges difference', async ({ page }) => {
  test.setTimeout(240_000)
  writeFileSync(MIGRATION, [
    '-- Release notes shown in the app; readable (and, by mistake, truncatable) by everyone.',
    'CREATE TABLE IF NOT EXISTS release_notes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, body text NOT NULL);',
    'GRANT SELECT, TRUNCATE ON release_notes TO PUBLIC;',
    '',
  ].join('\n'))
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/production/deploy`)
  await expect(page.getByRole('heading', { level: 1 }).getByTestId('environment-badge')).toHaveText('production')
  // A deploy left open by an earlier run of this spec is abandoned first: one open deploy per target.
  const leftover = page.getByTestId('abandon-deploy')
  await expect(page.getByTestId('deploy-start').or(leftover)).toBeVisible()
  if (await leftover.isVisible()) {
    await leftover.click()
    const d = page.getByRole('dialog', { name: 'Abandon this deploy?' })
    await d.getByTestId('reason-input').fill('left open by an earlier e2e run')
    await d.getByRole('button', { name: 'Abandon' }).click()
  }

  await page.getByTestId('deploy-note').fill('release 2.4.0 (a1b2c3d)')
  await page.getByTestId('start-deploy').click()
  const startDialog = page.getByRole('dialog', { name: 'Start a deploy of production?' })
  await expect(startDialog.getByTestId('environment-badge')).toHaveText('production')
  await shot(page, '65-1-deploy-start-dialog')
  await startDialog.getByRole('button', { name: 'Start the deploy' }).click()
  await expect(page.getByTestId('deploy-outcome')).toHaveText('in progress')
  await expect(page.getByTestId('deploy-record-steps').getByRole('listitem')).toHaveCount(7)
  await expect(state(page, 'pre-gate')).toHaveText('current')
  for (const key of ['backup', 'rehearsal', 'migrations', 'skip-migrations', 'restart', 'post-gate']) await expect(state(page, key)).toHaveText('locked')
  await expect(step(page, 'backup').getByTestId('check-step')).toHaveCount(0)

  // The gate, blocker by blocker: SKIP_MIGRATIONS is fixed where it is still a near miss; the unsafe app role cannot be
  // fixed in a deploy, so an admin overrides it with a reason.
  const pre = step(page, 'pre-gate')
  await pre.getByTestId('check-step').click()
  await expect(state(page, 'pre-gate')).toHaveText('blocked')
  await expect(pre.getByTestId('gate-item-app-role-not-unsafe')).toContainText('unsafe')
  await expect(pre.getByTestId('gate-item-fresh-verified-backup')).toContainText('checked by "Backup and restore test"')
  await shot(page, '65-2-deploy-gate-blocked')
  if (await pre.getByTestId('gate-item-skip-migrations').getByLabel('fail').isVisible()) {
    await pre.getByTestId('skip-toggle').click()
    const d = page.getByRole('dialog', { name: 'Skip migrations on the next start?' })
    await d.getByRole('button', { name: 'Set SKIP_MIGRATIONS=true' }).click()
    await expect(d).toBeHidden()
    await pre.getByTestId('check-step').click()
  }
  await expect(pre.getByTestId('gate-item-skip-migrations').getByLabel('pass')).toBeVisible()
  await expect(pre.getByTestId('step-evidence')).toContainText('blocked by 1: The app role cannot drop or wipe data')
  await expect(step(page, 'backup').getByTestId('check-step')).toHaveCount(0)
  await step(page, 'pre-gate').getByTestId('override-step').click()
  await page.getByRole('dialog', { name: /^Override/ }).getByTestId('reason-input').fill('Owner move to crearis_owner is ticket OPS-12')
  await shot(page, '65-3-deploy-override-dialog')
  await page.getByRole('dialog', { name: /^Override/ }).getByRole('button', { name: 'Cancel' }).click()
  await override(page, 'pre-gate', 'Owner move to crearis_owner is ticket OPS-12, after this release')
  await expect(pre.getByTestId('step-override')).toContainText('Overridden by admin')
  await expect(pre.getByTestId('step-override')).toContainText('ticket OPS-12')
  await expect(state(page, 'backup')).toHaveText('current')

  // The deploy's own backup, restore-tested: the step passes on it and retention keeps it.
  const backup = step(page, 'backup')
  await backup.getByTestId('record-take-backup').click()
  const take = page.getByRole('dialog', { name: 'Take the deploy\'s backup now?' })
  await take.getByRole('button', { name: 'Take backup' }).click()
  await expect(backup.getByTestId('job-progress')).toContainText('succeeded', { timeout: 30_000 })
  await backup.getByTestId('record-verify-backup').click()
  await expect(state(page, 'backup')).toHaveText('passed', { timeout: 60_000 })
  await expect(backup.getByTestId('step-evidence')).toContainText(/dbsafe_production_\S+: restore-tested/)
  await expect(backup.getByTestId('step-evidence')).toContainText(/backups\.take succeeded.*backups\.verify succeeded/)
  await expect(page.getByText(/Backup for this deploy: dbsafe_production_/)).toBeVisible()
  await shot(page, '65-4-deploy-backup-passed')

  // Production's pending migrations were rehearsed on staging; here the rehearsal is overridden, amber, never green.
  await step(page, 'rehearsal').getByTestId('check-step').click()
  await expect(state(page, 'rehearsal')).toHaveText('blocked')
  await expect(step(page, 'rehearsal').getByTestId('step-evidence')).toContainText('no rehearsal yet')
  await override(page, 'rehearsal', 'Both migrations rehearsed on staging this morning')

  await step(page, 'migrations').getByRole('link', { name: 'Review and run on the Migrations page' }).click()
  await expect(page).toHaveURL(/\/targets\/production\/migrations$/)
  await expect(page.getByTestId('migrations-table').getByRole('row', { name: /007_release_notes/ })).toContainText('pending')
  await page.getByTestId('run-migrations').click()
  const run = page.getByRole('dialog', { name: /^Run \d+ migrations? on Production/ })
  for (const box of await run.getByRole('checkbox').all()) await box.check()
  await run.getByTestId('confirm-input').fill('production')
  await run.getByRole('button', { name: 'Run migrations' }).click()
  await expect(run).toBeHidden()
  await expect(page.getByTestId('job-progress')).toContainText('succeeded', { timeout: 30_000 })
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Deploy' }).click()
  await step(page, 'migrations').getByTestId('check-step').click()
  await expect(state(page, 'migrations')).toHaveText('passed')
  await expect(step(page, 'migrations').getByTestId('step-evidence')).toContainText(/all \d+ applied/)
  await expect(step(page, 'migrations').getByTestId('step-evidence')).toContainText(/migrations\.run succeeded/)

  await step(page, 'skip-migrations').getByTestId('check-step').click()
  await expect(state(page, 'skip-migrations')).toHaveText('passed')
  await expect(step(page, 'skip-migrations').getByTestId('step-evidence')).toContainText('SKIP_MIGRATIONS="true"')

  await step(page, 'restart').getByTestId('restart-note').fill('pm2 restart crearis, clean start in the log')
  await shot(page, '65-5-deploy-restart')
  await step(page, 'restart').getByTestId('confirm-restart').click()
  await expect(state(page, 'restart')).toHaveText('passed')
  await expect(step(page, 'restart').getByTestId('step-evidence')).toContainText('confirmed by admin')

  // The post-deploy gate compares the app role's privileges with the start: the migration's table and GRANT show.
  const post = step(page, 'post-gate')
  await post.getByTestId('check-step').click()
  await expect(state(page, 'post-gate')).toHaveText('blocked')
  const privileges = page.getByTestId('deploy-privileges')
  const added = privileges.getByTestId('privileges-added')
  await expect(added).toContainText('grant TRUNCATE on table public.release_notes to PUBLIC')
  await expect(added).toContainText('grant SELECT on table public.release_notes to PUBLIC')
  await expect(added).toContainText(/table public\.release_notes owned by e2e_crearis_admin/)
  await expect(added.getByRole('listitem').filter({ hasText: 'TRUNCATE on table public.release_notes' })).toContainText('destructive')
  await expect(privileges.getByTestId('privileges-removed')).toContainText('legacy_sessions')
  await expect(post.getByTestId('gate-item-privileges')).toContainText('new destructive power(s)')
  await privileges.scrollIntoViewIfNeeded()
  await shot(page, '65-6-deploy-privileges-diff')

  await privileges.getByTestId('acknowledge-privileges').click()
  const ack = page.getByRole('dialog', { name: 'Acknowledge the new destructive powers?' })
  await ack.getByTestId('reason-input').fill('TRUNCATE to PUBLIC is revoked in 008; table ownership moves with OPS-12')
  await ack.getByRole('button', { name: 'Acknowledge' }).click()
  await expect(ack).toBeHidden()
  await expect(privileges.getByTestId('privileges-acknowledged')).toContainText('Acknowledged by admin')
  await expect(post.getByTestId('gate-item-privileges').getByLabel('pass')).toBeVisible()
  // What is left is the app role being unsafe, as at the start: the same override, with its reason.
  await expect(post.getByTestId('step-evidence')).toContainText('blocked by 1: The app role cannot drop or wipe data')
  await override(page, 'post-gate', 'Same unsafe role as before the deploy, OPS-12')

  await page.getByTestId('finish-deploy').click()
  await expect(page).toHaveURL(/\/targets\/production\/deploys\/\d+$/)
  const record = page.url()
  await expect(page.getByTestId('deploy-outcome')).toHaveText('succeeded with overrides')
  for (const key of ['pre-gate', 'rehearsal', 'post-gate']) await expect(state(page, key)).toHaveText('overridden')
  for (const key of ['backup', 'migrations', 'skip-migrations', 'restart']) await expect(state(page, key)).toHaveText('passed')
  await expect(page.getByTestId('check-step')).toHaveCount(0)
  await expect(page.getByTestId('finish-deploy')).toHaveCount(0)
  await shot(page, '65-7-deploy-record')

  await page.getByRole('link', { name: /Deploys of Production/ }).click()
  await expect(page.getByTestId('deploy-start')).toBeVisible()
  const row = page.getByTestId('deploy-history').getByRole('row').filter({ hasText: 'release 2.4.0 (a1b2c3d)' })
  await expect(row).toContainText('succeeded with overrides')
  await shot(page, '65-8-deploy-history')
  await row.getByRole('link').click()
  await expect(page).toHaveURL(record)
  await expect(page.getByTestId('deploy-privileges').getByTestId('privileges-acknowledged')).toContainText('TRUNCATE to PUBLIC is revoked in 008')
  await page.setViewportSize({ width: 390, height: 844 })
  await shot(page, '65-9-deploy-record-390')
})
