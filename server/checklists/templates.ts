import type { AutoParams, ChecklistItemTemplate, ChecklistPhase, ChecklistTemplate } from '~contract/checklists'
import { backupMaxAgeHours } from '../backups/newest'
import type { ChecklistOverrides } from './overrides'

export const DEFAULT_CONNECTIONS_MAX_RATIO = 0.8

/** The seed document's Pre-/Post-Deployment checklists, each claim it makes by hand turned into a live check where one exists. */
export function checklistTemplate(phase: ChecklistPhase, overrides: ChecklistOverrides = {}): ChecklistTemplate {
  const backup: AutoParams = { maxAgeHours: backupMaxAgeHours(overrides) }
  const connections: AutoParams = { maxRatio: overrides.connectionsMaxRatio ?? DEFAULT_CONNECTIONS_MAX_RATIO }
  const items = phase === 'pre' ? preItems(backup, connections) : postItems(connections)
  const taken = new Set(items.map((i) => i.key))
  const extra = (overrides.extraManual?.[phase] ?? []).filter((i) => !taken.has(i.key))
    .map((i): ChecklistItemTemplate => ({ ...i, kind: 'manual' }))
  return { phase, title: phase === 'pre' ? 'Pre-deployment' : 'Post-deployment', items: [...items, ...extra] }
}

export const checklistTemplates = (overrides: ChecklistOverrides = {}): ChecklistTemplate[] =>
  [checklistTemplate('pre', overrides), checklistTemplate('post', overrides)]

function preItems(backup: AutoParams, connections: AutoParams): ChecklistItemTemplate[] {
  return [
    { key: 'reachable', kind: 'auto', check: 'reachable', label: 'Console database and target database answer' },
    { key: 'skip-migrations', kind: 'auto', check: 'skip-migrations', label: 'SKIP_MIGRATIONS=true in the app\'s env file',
      help: 'The app skips migrations only when the value is exactly "true": a restart must not run them behind your back.' },
    { key: 'fresh-verified-backup', kind: 'auto', check: 'fresh-verified-backup', params: backup,
      label: `A restore-tested backup younger than ${backup.maxAgeHours} hours` },
    { key: 'no-drift', kind: 'auto', check: 'no-drift', label: 'Applied migrations match their files (none drifted or missing)' },
    { key: 'app-role-not-unsafe', kind: 'auto', check: 'app-role-not-unsafe', label: 'The app role cannot drop or wipe data (privileges not unsafe)' },
    { key: 'connections-headroom', kind: 'auto', check: 'connections-headroom', params: connections,
      label: `Connections below ${Math.round(connections.maxRatio! * 100)}% of max_connections` },
    { key: 'no-failed-jobs', kind: 'auto', check: 'no-failed-jobs', label: 'No failed or interrupted console jobs since the last pre-deploy checklist' },
    { key: 'staging-tested', kind: 'manual', label: 'Test new migrations on staging', help: 'Run them on a staging copy first and compare the result.' },
    { key: 'migrations-reviewed', kind: 'manual', label: 'Review migration files for safety', help: 'Read each pending file and its findings on the Migrations page.' },
    { key: 'rollback-plan', kind: 'manual', label: 'Document rollback plan', help: 'Which backup to restore and who does it; link it in the note.' },
  ]
}

function postItems(connections: AutoParams): ChecklistItemTemplate[] {
  return [
    { key: 'reachable', kind: 'auto', check: 'reachable', label: 'Console database and target database answer' },
    { key: 'no-pending', kind: 'auto', check: 'no-pending', label: 'Every migration applied (none pending or failed)' },
    { key: 'no-drift', kind: 'auto', check: 'no-drift', label: 'Applied migrations match their files (none drifted or missing)' },
    { key: 'skip-migrations', kind: 'auto', check: 'skip-migrations', label: 'SKIP_MIGRATIONS re-enabled (exactly "true")',
      help: 'After the deploy, the next restart must not run migrations again.' },
    { key: 'app-role-not-unsafe', kind: 'auto', check: 'app-role-not-unsafe', label: 'The app role cannot drop or wipe data (privileges not unsafe)' },
    { key: 'connections-headroom', kind: 'auto', check: 'connections-headroom', params: connections,
      label: `Connections below ${Math.round(connections.maxRatio! * 100)}% of max_connections` },
    { key: 'no-failed-jobs', kind: 'auto', check: 'no-failed-jobs', label: 'No failed or interrupted console jobs since the last post-deploy checklist' },
    { key: 'app-verified', kind: 'manual', label: 'Verify application functionality', help: 'Log in, load the main pages, write something.' },
    { key: 'integrity-checked', kind: 'manual', label: 'Check database integrity', help: 'Row counts of the main tables look right; no errors in the server log.' },
    { key: 'error-logs', kind: 'manual', label: 'Monitor error logs', help: 'e.g. pm2 logs crearis --lines 50' },
    { key: 'backup-kept', kind: 'manual', label: 'Keep the pre-deploy backup for 7+ days', help: 'Check the target\'s retention before pruning.' },
    { key: 'issues-documented', kind: 'manual', label: 'Document any issues' },
  ]
}
