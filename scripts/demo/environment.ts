// Builds the demo world on a throwaway cluster: two app databases modelled on the seed document
// (staging: a least-privilege app role; production: an app role that owns tables and the database,
// as in many real deployments), their env files, migrations, backups and the console's config.
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { cpSync, createWriteStream, mkdirSync, readdirSync, readFileSync, truncateSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createGzip } from 'node:zlib'
import { pipeline } from 'node:stream/promises'
import pg from 'pg'
import { TRACKING_TABLE_DDL } from '~server/migrations/tracking-table'
import { createAppTarget } from './app-target'

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url))

export interface ClusterAccess {
  adminUrl: string
  urlFor: (database: string, user?: string, password?: string) => string
  port: number
  binDir: string
}

export interface DemoEnvironment {
  configPath: string
  adminPassword: string
  consoleDatabaseUrl: string
  targets: Record<'staging' | 'production' | 'app', { database: string, appRole: string, envFile: string, backupsDir: string }>
}

interface TargetPlan {
  id: 'staging' | 'production'
  label: string
  database: string
  appRole: string
  ownerRole: string
  appliedUpTo: number
  rows: number
  skipMigrationsLines: string[]
}

const PLANS: TargetPlan[] = [
  { id: 'staging', label: 'Staging', database: 'crearis_staging', appRole: 'crearis_staging', ownerRole: 'crearis_staging_owner',
    appliedUpTo: 5, rows: 5000, skipMigrationsLines: ['SKIP_MIGRATIONS=false'] },
  // Production: turned on long ago, then `echo "SKIP_MIGRATIONS=TRUE" >> .env` made a duplicate that wins and reads as off.
  { id: 'production', label: 'Production', database: 'crearis_prod', appRole: 'crearis_admin', ownerRole: 'crearis_owner',
    appliedUpTo: 4, rows: 40000, skipMigrationsLines: ['SKIP_MIGRATIONS=true  # <-- KEY SETTING', 'SKIP_MIGRATIONS=TRUE'] },
]

export async function createDemoEnvironment(cluster: ClusterAccess, workDir: string, prefix = ''): Promise<DemoEnvironment> {
  const admin = new pg.Client(cluster.adminUrl)
  await admin.connect()
  const consolePassword = randomBytes(18).toString('base64url')
  const consoleDb = `${prefix}dbsafe_console`
  await admin.query(`CREATE ROLE ${prefix}dbsafe_console LOGIN PASSWORD '${consolePassword}'`)
  await admin.query(`CREATE DATABASE ${consoleDb} OWNER ${prefix}dbsafe_console`)
  const consoleDatabaseUrl = cluster.urlFor(consoleDb, `${prefix}dbsafe_console`, consolePassword)
  // Restore tests run as a role that may create databases and nothing more (README: restore role).
  const restorePassword = randomBytes(18).toString('base64url')
  await admin.query(`CREATE ROLE ${prefix}dbsafe_restore LOGIN CREATEDB PASSWORD '${restorePassword}'`)
  const restoreTestUrl = cluster.urlFor('postgres', `${prefix}dbsafe_restore`, restorePassword)

  const migrationsDir = join(workDir, 'migrations')
  cpSync(join(FIXTURES, 'migrations'), migrationsDir, { recursive: true })
  const targets = {} as DemoEnvironment['targets']
  const configTargets = []
  for (const plan of PLANS) {
    const p = { ...plan, database: prefix + plan.database, appRole: prefix + plan.appRole, ownerRole: prefix + plan.ownerRole }
    const appPassword = randomBytes(18).toString('base64url')
    await createAppDatabase(admin, cluster, p, appPassword, migrationsDir)
    const envFile = join(workDir, `${plan.id}.env`)
    writeFileSync(envFile, [
      `# ${plan.label} environment for the crearis app (read by dotenv at start)`,
      'DATABASE_TYPE=postgresql',
      plan.skipMigrationsLines[0],
      `DB_USER=${p.appRole}`,
      `DB_PASSWORD=${appPassword}`,
      `DB_NAME=${p.database}`,
      'DB_HOST=127.0.0.1',
      `DB_PORT=${cluster.port}`,
      ...plan.skipMigrationsLines.slice(1),
      '',
    ].join('\n'), { mode: 0o600 })
    const backupsDir = join(workDir, 'backups', plan.id)
    mkdirSync(backupsDir, { recursive: true })
    await writeBackups(cluster, p.database, backupsDir, plan.id === 'production')
    targets[plan.id] = { database: p.database, appRole: p.appRole, envFile, backupsDir }
    const restoreDatabaseUrl = await createEmergencyRestoreRole(admin, cluster, p, prefix)
    // Restore tests go to a scratch database on the cluster, as on a dedicated restore-test server.
    configTargets.push({ id: plan.id, label: plan.label, environment: plan.id, envFile, migrationsDir, backupsDir, retentionDays: 7, restoreTestUrl, restoreDatabaseUrl })
  }
  const app = { id: 'app', label: 'Crearis app', database: `${prefix}crearis_app`, appRole: `${prefix}crearis_app`, port: cluster.port }
  const appTarget = await createAppTarget(admin, workDir, app)
  await writeBackups(cluster, app.database, appTarget.backupsDir, false)
  targets.app = { database: app.database, appRole: app.appRole, envFile: appTarget.envFile, backupsDir: appTarget.backupsDir }
  configTargets.push({ ...appTarget.config, restoreTestUrl })
  await admin.end()
  const configPath = join(workDir, 'dbsafe.config.json')
  writeFileSync(configPath, JSON.stringify({ consoleDatabaseUrl, targets: configTargets }, null, 2) + '\n', { mode: 0o600 })
  return { configPath, adminPassword: `demo-${randomBytes(6).toString('hex')}`, consoleDatabaseUrl, targets }
}

async function createAppDatabase(admin: pg.Client, cluster: ClusterAccess, p: TargetPlan, appPassword: string, migrationsDir: string) {
  const production = p.id === 'production'
  await admin.query(`CREATE ROLE ${p.ownerRole} NOLOGIN`)
  await admin.query(`CREATE ROLE ${p.appRole} LOGIN PASSWORD '${appPassword}'`)
  // Production's database was created with `createdb -O crearis_admin`, so the app role can DROP DATABASE.
  await admin.query(`CREATE DATABASE ${p.database} OWNER ${production ? p.appRole : p.ownerRole}`)
  const db = new pg.Client(cluster.urlFor(p.database))
  await db.connect()
  await db.query(`GRANT CREATE, USAGE ON SCHEMA public TO ${p.ownerRole}`)
  await db.query(`SET ROLE ${p.ownerRole}`)
  await db.query(TRACKING_TABLE_DDL('dbsafe_migrations'))
  const files = readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort()
  for (const [i, file] of files.entries()) {
    if (i + 1 > p.appliedUpTo) break
    const sql = readFileSync(join(migrationsDir, file), 'utf8')
    const started = Date.now()
    await db.query(sql)
    await db.query('INSERT INTO dbsafe_migrations (name, checksum, applied_at, applied_by, duration_ms) VALUES ($1, $2, now() - $3::interval, $4, $5)',
      [file.replace(/\.sql$/, ''), createHash('sha256').update(sql).digest('hex'), `${(p.appliedUpTo - i) * 9} days`, 'deploy@ci', Date.now() - started])
  }
  await db.query(`
    INSERT INTO users (email, display_name, legacy_password)
      SELECT 'user' || g || '@example.org', 'User ' || g, md5(g::text) FROM generate_series(1, $1 / 20) g;
    INSERT INTO projects (owner_id, name, status)
      SELECT 1 + g % ($1 / 20), 'Project ' || g, (ARRAY['draft','live','archived'])[1 + g % 3] FROM generate_series(1, $1 / 100) g;
    INSERT INTO events (project_id, title, starts_at, venue)
      SELECT 1 + g % ($1 / 100), 'Event ' || g, now() + (g % 400) * interval '1 day', 'Hall ' || (g % 12) FROM generate_series(1, $1) g;
    INSERT INTO posts (author_id, project_id, title, body, published_at)
      SELECT 1 + g % ($1 / 20), 1 + g % ($1 / 100), 'Post ' || g, repeat('Lorem ipsum dolor sit amet. ', 20), now() - g * interval '1 hour' FROM generate_series(1, $1 / 8) g;
    INSERT INTO legacy_sessions (token, user_id, expires_at)
      SELECT md5('s' || g), 1 + g % ($1 / 20), now() - interval '30 days' FROM generate_series(1, $1 / 40) g;`
    .replaceAll('$1', String(p.rows)))
  await db.query('RESET ROLE')
  await db.query(`GRANT USAGE ON SCHEMA public TO ${p.appRole}`)
  await db.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${p.appRole}`)
  await db.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${p.appRole}`)
  if (production) {
    // How production drifted: early tables created by the app itself, a TRUNCATE grant for a cleanup job,
    // and default privileges that hand every future table over in full.
    await db.query(`ALTER TABLE users OWNER TO ${p.appRole}; ALTER TABLE events OWNER TO ${p.appRole}; ALTER TABLE legacy_sessions OWNER TO ${p.appRole}`)
    await db.query(`GRANT TRUNCATE ON posts, images TO ${p.appRole}`)
    await db.query(`ALTER DEFAULT PRIVILEGES FOR ROLE ${p.ownerRole} IN SCHEMA public GRANT ALL ON TABLES TO ${p.appRole}`)
  }
  await db.query('ANALYZE')
  await db.end()
}

// Emergency restore: a login per target, powerless like the restore-test role, that may also act as the roles owning
// the target's database and objects (production's app role owns some) and end the app's sessions at the swap.
// Not the restore-test role: restore tests must not run with any owner's powers.
async function createEmergencyRestoreRole(admin: pg.Client, cluster: ClusterAccess, p: TargetPlan, prefix: string): Promise<string> {
  const role = `${prefix}dbsafe_restore_${p.id}`
  const password = randomBytes(18).toString('base64url')
  const owners = p.id === 'production' ? [p.ownerRole, p.appRole] : [p.ownerRole]
  await admin.query(`CREATE ROLE ${role} LOGIN CREATEDB NOSUPERUSER NOCREATEROLE NOBYPASSRLS PASSWORD '${password}'`)
  await admin.query(`GRANT ${[...owners, 'pg_signal_backend'].join(', ')} TO ${role}`)
  return cluster.urlFor('postgres', role, password)
}

// The seed's script names: db_backup_YYYYMMDD_HHMMSS.sql[.gz], taken nightly at 02:00.
async function writeBackups(cluster: ClusterAccess, database: string, dir: string, withCorrupt: boolean) {
  const nights = withCorrupt ? [3, 2, 1, 0] : [2, 1]
  for (const [i, daysAgo] of nights.entries()) {
    const at = new Date()
    at.setUTCDate(at.getUTCDate() - daysAgo)
    at.setUTCHours(2, 0, 0, 0)
    if (at > new Date()) at.setUTCDate(at.getUTCDate() - 1)
    const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15)
    const gzip = i !== nights.length - 2
    const file = join(dir, `db_backup_${stamp}.sql${gzip ? '.gz' : ''}`)
    await pgDumpPlain(cluster, database, file, gzip)
    // The newest production file was cut off mid-write (disk full during the nightly job).
    if (withCorrupt && daysAgo === 0) truncateSync(file, Math.floor(statSync(file).size / 2))
    utimesSync(file, at, at)
  }
}

async function pgDumpPlain(cluster: ClusterAccess, database: string, file: string, gzip: boolean) {
  const url = new URL(cluster.adminUrl)
  // The password goes in the child's environment, never in its argv.
  const child = spawn(join(cluster.binDir, 'pg_dump'), ['-h', url.hostname, '-p', url.port, '-U', decodeURIComponent(url.username), '-d', database],
    { env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) }, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d) => { stderr += d })
  const exited = new Promise<number>((resolve) => child.on('close', resolve))
  const out = createWriteStream(file)
  await (gzip ? pipeline(child.stdout, createGzip(), out) : pipeline(child.stdout, out))
  if (await exited !== 0) throw new Error(`pg_dump ${database} failed: ${stderr}`)
}
