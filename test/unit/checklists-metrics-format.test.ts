import { describe, expect, it } from 'vitest'
import { prometheusText } from '~server/metrics/format'

describe('Prometheus text format', () => {
  it('writes HELP and TYPE once per gauge, labelled samples, +Inf, and escapes label values', () => {
    const text = prometheusText([
      { name: 'dbsafe_target_reachable', help: 'reachable', samples: [{ labels: { target: 'staging' }, value: 1 }, { labels: { target: 'a"b\\c' }, value: 0 }] },
      { name: 'dbsafe_newest_verified_backup_age_seconds', help: 'age', samples: [{ labels: { target: 'prod' }, value: Infinity }] },
      { name: 'dbsafe_migrations_pending', help: 'none readable', samples: [] },
    ])
    expect(text).toBe([
      '# HELP dbsafe_target_reachable reachable',
      '# TYPE dbsafe_target_reachable gauge',
      'dbsafe_target_reachable{target="staging"} 1',
      'dbsafe_target_reachable{target="a\\"b\\\\c"} 0',
      '# HELP dbsafe_newest_verified_backup_age_seconds age',
      '# TYPE dbsafe_newest_verified_backup_age_seconds gauge',
      'dbsafe_newest_verified_backup_age_seconds{target="prod"} +Inf',
      '# HELP dbsafe_migrations_pending none readable',
      '# TYPE dbsafe_migrations_pending gauge',
      '',
    ].join('\n'))
  })
})
