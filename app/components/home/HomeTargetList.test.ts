import { enableAutoUnmount, mount, RouterLinkStub } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { GateResult } from '~contract/checklists'
import type { TargetVerdict } from '~contract/targets'
import HomeTargetList from './HomeTargetList.vue'

enableAutoUnmount(afterEach)

const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString()
const gate = (target: string, pass: boolean): GateResult => ({ target, phase: 'pre', pass, checkedAt: hoursAgo(0), items: [] })
const verdict = (id: string, environment: string, over: Partial<TargetVerdict> = {}): TargetVerdict => ({
  target: { id, label: id[0].toUpperCase() + id.slice(1), environment, colour: null }, state: 'ready', checkedAt: hoursAgo(0),
  blockers: [], warnings: [], gate: gate(id, true), newestRestoreTested: null, deploy: null, lastDeploy: null, ...over,
})

const staging = verdict('staging', 'staging', {
  newestRestoreTested: { id: 'dbsafe_staging_20261201T080000Z.dump', createdAt: hoursAgo(3), verifiedAt: hoursAgo(2) },
  lastDeploy: { id: 7, state: 'finished', startedAt: hoursAgo(30), outcome: 'succeeded' },
})
const production = verdict('production', 'production', {
  state: 'blocked', gate: gate('production', false),
  blockers: [
    { key: 'skip-migrations', label: 'SKIP_MIGRATIONS=true in the app\'s env file', reason: '"TRUE" (not exactly "true")', page: '' },
    { key: 'fresh-verified-backup', label: 'A restore-tested backup younger than 24 hours', reason: 'no verified backup', page: 'backups' },
  ],
  warnings: [{ key: 'scheduled-backup', message: 'The scheduled job\'s newest file, db_backup_20261201_020000.sql.gz, is corrupt', page: 'backups' }],
})
const down = verdict('reports', 'staging', {
  state: 'blocked', gate: gate('reports', false),
  blockers: [{ key: 'reachable', label: 'Console database and target database answer', reason: 'console answers, target unreachable', page: '' }],
})
const deploying = verdict('app', 'production', { deploy: { id: 12, state: 'running', startedAt: hoursAgo(0.5), outcome: null }, state: 'deploying' })

function mountList(verdicts: TargetVerdict[]) {
  return mount(HomeTargetList, { props: { verdicts }, global: { stubs: { RouterLink: RouterLinkStub } } })
}
const row = (w: ReturnType<typeof mountList>, id: string) => w.get(`[data-target="${id}"]`)
const link = (w: ReturnType<typeof mountList>, id: string, testid: string) =>
  w.findAllComponents(RouterLinkStub).find((l) => l.attributes('data-testid') === testid && row(w, id).element.contains(l.element))!

describe('HomeTargetList', () => {
  it('shows one line per target, production marked, each with its gate state', () => {
    const w = mountList([staging, production, down, deploying])
    expect(w.findAll('[data-testid="home-target"]')).toHaveLength(4)
    expect(row(w, 'production').get('[data-testid="environment-badge"]').classes()).toContain('production')
    expect(row(w, 'staging').get('[data-testid="environment-badge"]').classes()).not.toContain('production')
    expect(row(w, 'staging').get('[data-testid="verdict-state"]').text()).toBe('Ready to deploy')
    expect(row(w, 'production').get('[data-testid="verdict-state"]').text()).toBe('Blocked by 2')
    expect(row(w, 'app').get('[data-testid="verdict-state"]').text()).toBe('Deploy in progress')
  })

  it('names the first blocker and links it to the page that fixes it; a target that is down says so', () => {
    const w = mountList([production, down])
    const first = link(w, 'production', 'first-blocker')
    expect(first.text()).toBe('SKIP_MIGRATIONS=true in the app\'s env file: "TRUE" (not exactly "true")')
    expect(first.props('to')).toBe('/targets/production')
    expect(row(w, 'reports').get('[data-testid="first-blocker"]').text()).toContain('target unreachable')
  })

  it('keeps the scheduled-backup warning visible next to the gate state', () => {
    const w = mountList([production])
    const warning = link(w, 'production', 'home-warning')
    expect(warning.text()).toContain('db_backup_20261201_020000.sql.gz, is corrupt')
    expect(warning.props('to')).toBe('/targets/production/backups')
  })

  it('shows the last deploy and the newest restore-tested backup with its age and file, or that there is none', () => {
    const w = mountList([staging, production, deploying])
    // Not today, so the date follows the age.
    expect(row(w, 'staging').get('[data-testid="home-deploy"]').text()).toMatch(/^#7 succeeded, 30 h ago, [A-Z][a-z]{2} \d{1,2}$/)
    expect(row(w, 'app').get('[data-testid="home-deploy"]').text()).toBe('#12 running, 30 min ago')
    expect(row(w, 'production').get('[data-testid="home-deploy"]').text()).toBe('none recorded')
    expect(row(w, 'staging').get('[data-testid="home-backup"]').text()).toMatch(/^3 h ago(, [A-Z][a-z]{2} \d{1,2})? · dbsafe_staging_20261201T080000Z\.dump$/)
    expect(row(w, 'production').get('[data-testid="home-backup"]').text()).toContain('none')
  })
})
