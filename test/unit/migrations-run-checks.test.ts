import { describe, expect, it } from 'vitest'
import type { LintFinding, MigrationRow } from '~contract/migrations'
import { planRun, runChecks } from '~server/migrations/plan'

const now = new Date('2026-12-01T12:00:00Z')
const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000)
const row = (name: string, findings: LintFinding[] = []): MigrationRow =>
  ({ name, status: 'pending', checksum: 'c', appliedAt: null, appliedBy: null, durationMs: null, findings })
const drop: LintFinding = { rule: 'drop-table', severity: 'destructive', message: 'DROP TABLE deletes legacy', line: 1, statement: 'DROP TABLE legacy' }
const context = { runner: { via: 'dbsafe', available: true } as const, tracker: { kind: 'dbsafe', readable: true, exists: true } as const }
const checks = (rows: MigrationRow[], newestUsableAt: Date | null, acknowledge: string[] = []) =>
  runChecks(rows, new Map(), { acknowledge }, { newestUsableAt, maxAgeMinutes: 60, now }, context)
const byId = (list: ReturnType<typeof checks>, id: string) => list.find((c) => c.id === id)!

describe('a run\'s preconditions', () => {
  it('words a stale backup in hours against the limit in minutes, and refuses the run with the same words', () => {
    const backup = byId(checks([row('001_a')], ago(2007)), 'backup')
    expect(backup).toMatchObject({ ok: false, overridable: true, text: 'The newest usable backup is 33 hours old; a run needs one from the last 60 minutes' })
    const plan = planRun([row('001_a')], new Map(), { acknowledge: [] }, { newestUsableAt: ago(2007), maxAgeMinutes: 60, now }, context)
    expect(plan.ok).toBe(false)
    expect(!plan.ok && plan.refusal.message).toBe('Refusing to run: the newest usable backup is 33 hours old; a run needs one from the last 60 minutes. Take a backup, or run without one and write why.')
    expect(!plan.ok && plan.refusal.message).not.toMatch(/override\.reason|minutes old/)
  })

  it('says so when there is no backup at all, and passes a fresh one', () => {
    expect(byId(checks([row('001_a')], null), 'backup').text).toBe('There is no usable backup; a run needs one from the last 60 minutes')
    expect(byId(checks([row('001_a')], ago(12)), 'backup')).toMatchObject({ ok: true, text: 'The newest usable backup is 12 minutes old (a run needs one from the last 60 minutes)' })
  })

  it('lists every check, not just the first failure, and each destructive statement counts until accepted', () => {
    const list = checks([row('001_a'), row('002_drop', [drop])], null)
    expect(list.map((c) => c.id)).toEqual(['runner', 'tracker', 'drift', 'pending', 'parse', 'transactions', 'acknowledged', 'backup'])
    expect(list.filter((c) => !c.ok).map((c) => c.id)).toEqual(['acknowledged', 'backup'])
    expect(byId(list, 'pending').text).toBe('2 migrations to run')
    expect(byId(list, 'acknowledged').text).toBe('1 destructive statement not accepted yet')
    expect(byId(checks([row('002_drop', [drop])], ago(5), ['002_drop:drop-table']), 'acknowledged').ok).toBe(true)
  })

  it('lets an override through the backup check only', () => {
    const plan = planRun([row('002_drop', [drop])], new Map(), { acknowledge: [], override: { reason: 'copy of staging' } }, { newestUsableAt: null, maxAgeMinutes: 60, now }, context)
    expect(!plan.ok && plan.refusal.code).toBe('unacknowledged')
    const ok = planRun([row('002_drop', [drop])], new Map(), { acknowledge: ['002_drop:drop-table'], override: { reason: 'copy of staging' } }, { newestUsableAt: null, maxAgeMinutes: 60, now }, context)
    expect(ok).toMatchObject({ ok: true, acknowledged: ['002_drop:drop-table'] })
  })
})
