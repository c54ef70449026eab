// The app that keeps its own migrations: TypeScript modules, ids in a config row, its own migrate.ts.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { expect, test } from '@playwright/test'
import { baseURL, loginAsAdmin, shot } from './helpers'

const MODULE_004 = fileURLToPath(new URL('../scripts/demo/fixtures/app/server/database/migrations/004_drop_legacy_flags.ts', import.meta.url))
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1

test("an admin reviews the app's TypeScript migration, runs it through the app's own command and sees what applied before the failure", async ({ page }) => {
  await loginAsAdmin(page)
  await page.goto(`${baseURL()}/targets/app/migrations`)
  await expect(page.getByTestId('migrations-banner')).toContainText('2 pending migrations')
  await expect(page.getByTestId('tracker-note')).toContainText("the app's own tracker query")
  await page.getByTestId('ignored-files').locator('summary').click()
  await expect(page.getByTestId('ignored-files')).toContainText('000_template.ts')
  const table = page.getByTestId('migrations-table')
  // The file 001_init_schema.ts registers the id 001_config_table: both are shown.
  await expect(table.getByRole('row', { name: /001_init_schema/ })).toContainText('001_config_table')
  const row004 = table.getByRole('row', { name: /004_drop_legacy_flags/ })
  await expect(row004).toContainText('1 destructive')
  await expect(row004).toContainText('1 on rollback')

  await table.getByRole('button', { name: '004_drop_legacy_flags' }).click()
  const source = page.getByTestId('migration-detail').getByTestId('migration-sql')
  const text = readFileSync(MODULE_004, 'utf8')
  // The destructive statement of the `${table}` loop, under its own line of the module.
  const dropLine = source.locator('.line').filter({ hasText: 'DROP COLUMN legacy_flags' })
  await expect(dropLine.getByRole('cell').first()).toHaveText(String(lineOf(text, 'DROP COLUMN legacy_flags')))
  await expect(dropLine.locator('xpath=following-sibling::div[1]')).toContainText('drop-column')
  const downDrop = source.locator('.line').filter({ hasText: 'DROP TABLE IF EXISTS feature_flags' })
  await expect(downDrop.getByRole('cell').first()).toHaveText(String(lineOf(text, 'DROP TABLE IF EXISTS feature_flags')))
  await expect(downDrop.locator('xpath=following-sibling::div[1]')).toContainText('only on rollback')
  await shot(page, '60-app-migration-review')

  await page.getByTestId('run-migrations').click()
  const dialog = page.getByRole('dialog')
  await expect(dialog.getByTestId('run-command')).toContainText('migrate.ts')
  // Only the `up` finding asks to be accepted; down()'s DROP TABLE runs only on rollback.
  await expect(dialog.getByRole('checkbox')).toHaveCount(1)
  await dialog.getByRole('checkbox', { name: /004_drop_legacy_flags:drop-column/ }).check()
  await dialog.getByTestId('override-reason').fill('Demo data; nightly backup from last night is enough')
  await dialog.getByTestId('confirm-input').fill('app')
  await dialog.getByRole('button', { name: 'Run migrations' }).click()
  await expect(dialog).toBeHidden()

  const job = page.getByTestId('job-progress')
  await expect(job).toContainText('failed', { timeout: 30_000 })
  await expect(job.getByTestId('job-log')).toContainText('Running migration 004_drop_legacy_flags…')
  await expect(job.getByTestId('job-log')).toContainText('✓ 004_drop_legacy_flags')
  await expect(job.getByTestId('job-error')).toContainText('applied 004_drop_legacy_flags before failing in 005_unique_registrations')
  await expect(job.getByTestId('job-error')).toContainText('registrations_event_email_key')
  await expect(row004).toContainText('applied')
  await expect(page.getByTestId('migration-detail').locator('header')).toContainText('applied')
  await expect(table.getByRole('row', { name: /005_unique_registrations/ })).toContainText('pending')
  await shot(page, '61-app-migration-failed-halfway')
})
