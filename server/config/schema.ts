import { z } from 'zod'

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { error: 'a lowercase slug (a-z, 0-9, -)' })
const pgIdentifier = z.string().min(1).max(63)

export const targetConfigSchema = z.strictObject({
  id: slug,
  label: z.string().min(1),
  /** The app's env file: DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD, SKIP_MIGRATIONS. */
  envFile: z.string().min(1),
  /** Overrides the DB_* connection from the env file. */
  databaseUrl: z.string().regex(/^postgres(ql)?:\/\//, { error: 'a postgresql:// URL' }).optional(),
  /** The role whose powers are reviewed; defaults to DB_USER from the env file. */
  appRole: pgIdentifier.optional(),
  migrationsDir: z.string().min(1),
  migrationsTable: pgIdentifier.default('dbsafe_migrations'),
  backupsDir: z.string().min(1),
  retentionDays: z.number().int().positive().default(7),
})

export const configSchema = z.strictObject({
  consoleDatabaseUrl: z.string().regex(/^postgres(ql)?:\/\//, { error: 'a postgresql:// URL' }).optional(),
  targets: z.array(targetConfigSchema).min(1, { error: 'at least one target' })
    .refine((ts) => new Set(ts.map((t) => t.id)).size === ts.length, { error: 'target ids must be unique' }),
})

export type TargetConfig = z.output<typeof targetConfigSchema>
export type Config = z.output<typeof configSchema>
