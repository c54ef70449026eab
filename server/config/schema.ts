import { z } from 'zod'
import { checklistOverridesSchema } from '../checklists/overrides'

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'a lowercase slug (a-z, 0-9, -)' })
const pgIdentifier = z.string().min(1).max(63)
const pgUrl = z.string().regex(/^postgres(ql)?:\/\//, { error: 'a postgresql:// URL' })
const pgDuration = z.string().regex(/^\d+(ms|s|min|h)$/, { error: 'a duration such as 500ms, 5s, 15min or 1h' })

export const targetConfigSchema = z.strictObject({
  id: slug,
  label: z.string().min(1),
  /** The app's env file: DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD, SKIP_MIGRATIONS. */
  envFile: z.string().min(1),
  /** Overrides the DB_* connection from the env file. */
  databaseUrl: pgUrl.optional(),
  /** Credentials migrations run with (e.g. a separate owner role); default: the app's own connection. */
  migrationDatabaseUrl: pgUrl.optional(),
  /** The role whose powers are reviewed; defaults to DB_USER from the env file. */
  appRole: pgIdentifier.optional(),
  migrationsDir: z.string().min(1),
  migrationsTable: pgIdentifier.default('dbsafe_migrations'),
  backupsDir: z.string().min(1),
  retentionDays: z.number().int().positive().default(7),
  /** Never prune the newest this many usable backups, whatever their age. */
  backupKeepMin: z.number().int().min(1).default(3),
  backupFormat: z.enum(['custom', 'plain', 'directory']).default('custom'),
  /** pg_dump --compress level; a plain dump with a level above 0 is written as .sql.gz. */
  backupCompress: z.number().int().min(0).max(9).optional(),
  /** Credentials backups run with (e.g. a role with pg_read_all_data); default: the app's connection. */
  backupDatabaseUrl: pgUrl.optional(),
  /** Server for restore tests' scratch databases; default: the target's own server when its role may create databases. */
  restoreTestUrl: pgUrl.optional(),
  /**
   * Emergency restore: a role on the target's own server that may create databases and rename the target's
   * (CREATEDB, member of the roles owning the target database and its objects) but passes the restore-role check.
   */
  restoreDatabaseUrl: pgUrl.optional(),
  /** A migration run needs a usable backup at most this old, or an override with a written reason. */
  preMigrationBackupMaxAgeMinutes: z.number().int().positive().default(60),
  lockTimeout: pgDuration.default('5s'),
  statementTimeout: pgDuration.default('15min'),
  /** Per-target changes to the built-in deploy checklists. */
  checklists: checklistOverridesSchema.optional(),
})

export const configSchema = z.strictObject({
  consoleDatabaseUrl: pgUrl.optional(),
  targets: z.array(targetConfigSchema).min(1, { error: 'at least one target' })
    .refine((ts) => new Set(ts.map((t) => t.id)).size === ts.length, { error: 'target ids must be unique' }),
})

export type TargetConfig = z.output<typeof targetConfigSchema>
export type Config = z.output<typeof configSchema>
