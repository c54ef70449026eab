import { enableAutoUnmount, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { MigrationsSummary, SkipMigrationsSource, SkipMigrationsState } from '~contract/targets'
import { useSessionStore } from '~app/stores/session'
import SkipMigrationsCard from './SkipMigrationsCard.vue'

vi.mock('../../api/targets', () => ({ setSkipMigrations: vi.fn() }))
enableAutoUnmount(afterEach)

const unitFile = '/etc/systemd/system/app.service'
const unit: SkipMigrationsSource = { kind: 'systemd', file: unitFile, line: 7, value: 'false', wins: true, block: 'Environment=' }
const envLine: SkipMigrationsSource = { kind: 'env-file', file: '/srv/app/.env', line: 2, value: 'true', wins: false, note: 'ignored: systemd sets SKIP_MIGRATIONS first' }
const overridden: SkipMigrationsState = {
  envFile: '/srv/app/.env', exists: true, value: 'false', occurrences: [{ line: 2, value: 'true' }], effective: false, certain: true,
  warnings: [{ code: 'process-manager-overrides', message: `SKIP_MIGRATIONS=false in ${unitFile} line 7 overrides the env file's true: the app WILL run migrations on its next start.` }],
  sources: [unit, envLine], winner: unit,
}

function mountCard(state: SkipMigrationsState, migrations: MigrationsSummary | null = null) {
  return mount(SkipMigrationsCard, { props: { state, target: 'staging', migrations }, attachTo: document.body })
}
const summary = (pending: number, unknown = 0): MigrationsSummary => ({
  total: 5, applied: 5 - pending - unknown, pending, failed: 0, drifted: 0, missing: 0, destructivePending: 0, unknown,
  tracker: unknown ? { kind: 'query', readable: false, code: 'denied', cause: 'permission denied for table crearis_config' } : { kind: 'query', readable: true, exists: true },
  appCannotReadTracker: null,
})

describe('SkipMigrationsCard', () => {
  beforeEach(() => {
    setActivePinia(createPinia())
    useSessionStore().user = { id: 1, username: 'admin', role: 'admin' }
  })

  it('lists where SKIP_MIGRATIONS is set in the order the process sees it, marks the winner and takes its verdict', () => {
    const wrapper = mountCard(overridden)
    const rows = wrapper.findAll('[data-testid="skip-source"]').map((r) => r.text())
    expect(rows).toHaveLength(2)
    expect(rows[0]).toMatch(/^decides\s*"false" systemd, \/etc\/systemd\/system\/app\.service line 7 · Environment=/)
    expect(rows[1]).toContain('"true" env file, /srv/app/.env line 2')
    expect(rows[1]).toContain('ignored: systemd sets SKIP_MIGRATIONS first')
    expect(wrapper.get('[data-testid="skip-banner"]').text()).toContain('Pending migrations WILL run on the next restart')
    expect(wrapper.get('[data-testid="skip-banner"]').text()).toContain(`systemd, ${unitFile} line 7`)
    expect(wrapper.get('[data-testid="skip-value"]').text()).toBe('"false"')
    expect(wrapper.get('[data-testid="skip-warnings"]').text()).toContain('overrides the env file\'s true')
  })

  it('disables the toggle with the reason when the winner is not the env file', () => {
    const wrapper = mountCard(overridden)
    expect(wrapper.get('[data-testid="skip-toggle"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="skip-toggle-reason"]').text()).toContain(`${unitFile} line 7`)
  })

  it('offers the toggle when the env file decides', () => {
    const line: SkipMigrationsSource = { kind: 'env-file', file: '/srv/app/.env', line: 2, value: 'true', wins: true }
    const wrapper = mountCard({ ...overridden, value: 'true', effective: true, warnings: [], sources: [line], winner: line })
    expect(wrapper.get('[data-testid="skip-banner"]').text()).toContain('Migrations are skipped on restart')
    expect(wrapper.get('[data-testid="skip-toggle"]').attributes('disabled')).toBeUndefined()
    expect(wrapper.get('[data-testid="skip-source"]').text()).toMatch(/^decides/)
  })

  it('says it cannot tell when code dbsafe does not run sets the value', () => {
    const pm2: SkipMigrationsSource = { kind: 'pm2', file: '/srv/app/ecosystem.config.js', line: 9, value: null, wins: true, block: 'env_production', note: 'set by code dbsafe does not run: process.env.SKIP' }
    const wrapper = mountCard({ ...overridden, value: null, certain: false, warnings: [], sources: [pm2, envLine], winner: pm2 })
    expect(wrapper.get('[data-testid="skip-banner"]').text()).toContain('Pending migrations may run on the next restart')
    expect(wrapper.get('[data-testid="skip-value"]').text()).toBe('(set by code)')
    expect(wrapper.findAll('[data-testid="skip-source"]')[0].text()).toContain('(code) PM2, /srv/app/ecosystem.config.js line 9 · env_production')
  })

  it('hides the toggle from a viewer', () => {
    useSessionStore().user = { id: 2, username: 'viv', role: 'viewer' }
    expect(mountCard(overridden).find('[data-testid="skip-toggle"]').exists()).toBe(false)
  })

  it("names what would run from the tracker's count: N pending, none pending (a warning, not an alarm), or what the tracker cannot account for", () => {
    expect(mountCard(overridden, summary(2)).get('[data-testid="skip-banner"]').text()).toContain('2 pending migrations WILL run on the next restart')
    const none = mountCard(overridden, summary(0)).get('[data-testid="skip-banner"]')
    expect(none.classes()).toContain('warn')
    expect(none.text()).toContain('none is pending')
    expect(mountCard(overridden, summary(0, 5)).get('[data-testid="skip-banner"]').text()).toContain('Migrations the tracker cannot account for WILL run')
  })
})
