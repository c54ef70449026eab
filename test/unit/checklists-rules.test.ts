import { describe, expect, it } from 'vitest'
import { allPass, closedRefusal, failedJobsSince, signOffRefusal, tickedStatus, tickRefusal } from '~server/checklists/rules'

describe('completion rule', () => {
  it.each([
    [[], false],
    [['pass'], true],
    [['pass', 'pass', 'pass'], true],
    [['pass', 'pending'], false],
    [['pass', 'fail'], false],
  ] as const)('%j → %s', (statuses, complete) => {
    expect(allPass(statuses.map((status) => ({ status })))).toBe(complete)
  })

  it('ticking passes a manual item; unticking leaves it to do, not failed', () => {
    expect(tickedStatus(true)).toBe('pass')
    expect(tickedStatus(false)).toBe('pending')
  })
})

describe('what may change a run', () => {
  const open = { id: 3, status: 'open' as const }
  it('an open run accepts ticks on manual items only', () => {
    expect(tickRefusal(open, { key: 'rollback-plan', kind: 'manual' })).toBeNull()
    expect(tickRefusal(open, { key: 'no-drift', kind: 'auto' })).toMatch(/live state/)
  })

  it.each(['passed', 'signed-off'] as const)('a %s run is a record: no ticks, no sign-off', (status) => {
    const run = { id: 3, status }
    expect(closedRefusal(run)).toMatch(/#3/)
    expect(tickRefusal(run, { key: 'x', kind: 'manual' })).toMatch(/start a new run/)
    expect(signOffRefusal(run, 'a long enough reason')).toMatch(/start a new run/)
  })

  it('sign-off needs a written reason of at least 10 characters, spaces not counted', () => {
    expect(signOffRefusal(open, 'too short')).toMatch(/10 characters/)
    expect(signOffRefusal(open, '   short      ')).toMatch(/10 characters/)
    expect(signOffRefusal(open, 'Hotfix, reviewed with the DBA')).toBeNull()
  })
})

describe('failed-jobs window', () => {
  const now = new Date('2026-11-20T12:00:00Z')
  it('starts at the previous completed run of the phase', () => {
    const previous = new Date('2026-11-18T09:00:00Z')
    expect(failedJobsSince(previous, now)).toEqual(previous)
  })
  it('is the last 24 hours when there was none', () => {
    expect(failedJobsSince(null, now)).toEqual(new Date('2026-11-19T12:00:00Z'))
  })
})
