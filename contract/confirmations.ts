// Which guarded actions ask for the target's id to be typed: one table the API enforces and the dialogs read.

/**
 * `typed`: irreversible or schema-changing, so the person types the target's id. `plain`: additive, a record,
 * or set back the same way, so one click in a dialog is enough (a `confirm` sent anyway must still name the target).
 */
export const CONFIRMATIONS = {
  'migrations.run': 'typed', // changes the schema; a down migration is not an undo
  'restore.emergency': 'typed', // replaces the live database
  'restore.undo': 'typed', // swaps the live database back, losing what was written since
  'restore.drop': 'typed', // deletes the kept copy for good
  'backups.prune': 'typed', // deletes backup files for good
  'backups.take': 'plain', // adds a file
  'checklist.signoff': 'plain', // adds a record with a reason
  'skip-migrations.set': 'plain', // one line in the app's environment, set back the same way
  'deploys.start': 'plain', // opens a record
  'deploys.override-step': 'plain', // a record with a reason; the step stays marked overridden
  'deploys.acknowledge-privileges': 'plain', // a record with a reason
  'deploys.end': 'plain', // closes the record; nothing in the database changes
} as const satisfies Record<string, 'typed' | 'plain'>

export type ConfirmedAction = keyof typeof CONFIRMATIONS

/** Unknown actions ask for nothing: only the table's `typed` rows do. */
export const requiresTypedConfirmation = (action: string): boolean =>
  (CONFIRMATIONS as Record<string, 'typed' | 'plain'>)[action] === 'typed'
