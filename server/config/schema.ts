import { z } from 'zod'
import { isAddressOrCidr } from '../http/proxies'
import { checklistOverridesSchema } from '../checklists/overrides'

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'a lowercase slug (a-z, 0-9, -)' })
const pgIdentifier = z.string().min(1).max(63)
const pgUrl = z.string().regex(/^postgres(ql)?:\/\//, { error: 'a postgresql:// URL' })
const pgDuration = z.string().regex(/^\d+(ms|s|min|h)$/, { error: 'a duration such as 500ms, 5s, 15min or 1h' })

export const TRACKER_PRESETS = ['prisma', 'knex', 'node-pg-migrate', 'drizzle', 'kysely', 'typeorm', 'sequelize'] as const
export type TrackerPreset = typeof TRACKER_PRESETS[number]

const migrationsTrackerSchema = z.union([
  z.enum(['dbsafe', ...TRACKER_PRESETS]),
  z.strictObject({ query: z.string().trim().min(1).max(10_000) }),
])

const migrateCommandSchema = z.strictObject({
  /** Program and arguments, spawned without a shell, e.g. ["pnpm", "db:migrate"]. */
  argv: z.array(z.string().min(1)).min(1).max(50),
  /** The app's source directory. */
  cwd: z.string().min(1),
  /** Extra variables over the env file's values (SKIP_MIGRATIONS is always "false" for the command). */
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string()).optional(),
  timeoutMinutes: z.number().int().positive().max(24 * 60).default(30),
  /** How to pass "run up to this id": appended arguments where {id} is replaced; without it, upTo is refused. */
  upToArgs: z.array(z.string().min(1)).max(10).optional(),
})

export const targetConfigSchema = z.strictObject({
  id: slug,
  label: z.string().min(1),
  /** What this target is (`production`, `staging`, …): production is marked on every page and in every guard dialog. */
  environment: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, { error: 'a lowercase name such as production or staging' }).default('production'),
  /** Optional accent colour for the target's marker, as #rgb or #rrggbb. */
  colour: z.string().regex(/^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/, { error: 'a colour such as #b91c1c' }).optional(),
  /** The app's env file: DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD, SKIP_MIGRATIONS. */
  envFile: z.string().min(1),
  /** Overrides the DB_* connection from the env file. */
  databaseUrl: pgUrl.optional(),
  /** Credentials migrations run with (e.g. a separate owner role); default: the app's own connection. */
  migrationDatabaseUrl: pgUrl.optional(),
  /** The role whose powers are reviewed; defaults to DB_USER from the env file. */
  appRole: pgIdentifier.optional(),
  migrationsDir: z.string().min(1),
  /** dbsafe's own tracking table, used when migrationsTracker is "dbsafe". */
  migrationsTable: pgIdentifier.default('dbsafe_migrations'),
  /**
   * Where the app records applied migrations: "dbsafe" (dbsafe runs and records them), a migration tool's
   * table, or a read-only query returning the applied ids in order. dbsafe never writes an app's tracker.
   */
  migrationsTracker: migrationsTrackerSchema.default('dbsafe'),
  /** Globs (relative to migrationsDir) of files that are not migrations: templates, examples, the runner itself. */
  migrationsIgnore: z.array(z.string().min(1)).max(100).default([]),
  /** The app's own migrate command: with an app tracker, the guarded run runs this and nothing else. */
  migrateCommand: migrateCommandSchema.optional(),
  /** PM2 ecosystem file whose env blocks set the app's variables before dotenv reads the env file. */
  pm2Ecosystem: z.strictObject({
    path: z.string().min(1),
    /** The app's `name` in the ecosystem file's `apps`. */
    app: z.string().min(1),
    /** The `--env` the app is started with (reads `env_<name>` over `env`). */
    env: z.string().regex(/^[A-Za-z0-9_-]+$/).optional(),
  }).optional(),
  /** systemd unit file of the app; its Environment=/EnvironmentFile= (and drop-ins) set variables before dotenv. */
  systemdUnit: z.string().min(1).optional(),
  backupsDir: z.string().min(1),
  retentionDays: z.number().int().positive().default(7),
  /** Never prune the newest this many usable backups, whatever their age. */
  backupKeepMin: z.number().int().min(1).default(3),
  /** How often the app's own scheduled job (cron, nightly) writes a backup: no good file for longer is a warning. */
  scheduledBackupIntervalHours: z.number().positive().max(24 * 31).default(24),
  /** Retention keeps a deploy's backup while the deploy is open and for this many days after it ends. */
  deployPinDays: z.number().int().min(0).default(14),
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
  /** Reverse proxies (IPs or CIDRs) whose X-Forwarded-For/-Proto/-Host are believed; from anyone else they are ignored. */
  trustedProxies: z.array(z.string().refine(isAddressOrCidr, { error: 'an IP address or CIDR such as 10.0.0.0/8' })).max(100).default([]),
  /** File holding the key that seals session cookies; default .dbsafe-session-secret next to this config file. */
  sessionSecretFile: z.string().min(1).optional(),
  targets: z.array(targetConfigSchema).min(1, { error: 'at least one target' })
    .refine((ts) => new Set(ts.map((t) => t.id)).size === ts.length, { error: 'target ids must be unique' }),
})

export type TargetConfig = z.output<typeof targetConfigSchema>
export type MigrationsTracker = TargetConfig['migrationsTracker']
export type MigrateCommand = NonNullable<TargetConfig['migrateCommand']>
export type Config = z.output<typeof configSchema>
