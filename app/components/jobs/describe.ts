import type { BackupManifest, BackupVerification } from '~contract/backups'
import type { Job } from '~contract/jobs'
import type { Rehearsal } from '~contract/rehearsal'
import { formatBytes, formatDuration } from '~app/format'

/** What a job is, in the words a card's title uses ("Backup", "Restore test of …"). */
export function jobTitle(job: Pick<Job, 'kind' | 'params'>): string {
  const backup = typeof job.params.backup === 'string' ? job.params.backup : null
  switch (job.kind) {
    case 'backups.take': return 'Backup'
    case 'backups.verify': return backup ? `Restore test of ${backup}` : 'Restore test'
    case 'migrations.run': return 'Migration run'
    case 'migrations.rehearse': return 'Rehearsal on a copy'
    case 'restore.emergency': return backup ? `Emergency restore of ${backup}` : 'Emergency restore'
    case 'restore.undo': return 'Undo of the emergency restore'
    case 'restore.drop': return 'Drop of a restore leftover'
    default: return job.kind
  }
}

/**
 * How a finished job ended, in one sentence ("Backup finished: 12.3 MB in 8 s", "Backup failed: …"); the card shows
 * it in place of the last progress message, which would otherwise still read "dumping public.users".
 */
export function jobOutcome(job: Job, title = jobTitle(job)): string {
  const took = job.startedAt && job.finishedAt ? formatDuration(Date.parse(job.finishedAt) - Date.parse(job.startedAt)) : null
  if (job.status === 'interrupted') return `${title} interrupted: ${job.error ?? 'the console stopped while it ran'}`
  if (job.status === 'failed') return `${title} failed: ${job.error ?? 'no reason given'}`
  const detail = job.result ? resultWords(job.kind, job.result) : null
  return `${title} finished${detail ? `: ${detail}` : ''}${took ? ` in ${took}` : ''}`
}

function resultWords(kind: string, result: unknown): string | null {
  switch (kind) {
    case 'backups.take': return formatBytes((result as BackupManifest).sizeBytes)
    case 'backups.verify': {
      const v = result as BackupVerification
      return `${v.tables.length} table${v.tables.length === 1 ? '' : 's'} restored and matched`
    }
    case 'migrations.run': {
      const applied = (result as { applied?: string[] }).applied
      return applied ? `${applied.length} migration${applied.length === 1 ? '' : 's'} applied` : null
    }
    case 'migrations.rehearse': {
      const r = result as Rehearsal
      return `${r.migrations.length} migration${r.migrations.length === 1 ? '' : 's'} replayed on a copy`
    }
    default: return null
  }
}
