// The safety report's claims, each checked against the live state read independently here (catalog queries,
// dotenv's own parser, the files on disk, the gate), never against the report generator's own helpers.
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse as dotenvParse } from 'dotenv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderReportHtml } from '~app/components/report/render'
import type { SafetyReport } from '~contract/report'
import { cli } from '../support/cli'
import { json } from '../support/http'
import { cluster, queryRows } from '../support/db'
import { startConsoleFixture, type ConsoleFixture, type TargetFixture } from '../support/fixture'

const HOSTILE_NOTE = 'Rollback: restore db_backup_1 <script>alert(1)</script> [click](javascript:alert(2)) ![x](http://evil.example/x.png) | col'

/** The text of one `## ` section. */
const section = (md: string, title: string): string => {
  const start = md.indexOf(`## ${title}`)
  expect(start, `section "${title}"`).toBeGreaterThanOrEqual(0)
  const end = md.indexOf('\n## ', start + 3)
  return md.slice(start, end < 0 ? undefined : end)
}

describe('safety report', () => {
  let c: ConsoleFixture
  let t: TargetFixture
  let admin: string
  let viewer: string
  let report: SafetyReport
  let startedAt: number
  let finishedAt: number
  const dbUrl = () => `${cluster().adminUrl.replace(/\/[^/]*$/, '')}/${t.database}`

  beforeAll(async () => {
    c = await startConsoleFixture({
      extraTargets: [{ id: 'down', label: 'Down', envFile: '/nonexistent/app.env', databaseUrl: 'postgresql://nobody@127.0.0.1:1/none', migrationsDir: '/nonexistent', backupsDir: '/nonexistent' }],
    })
    t = c.targets[0]
    // The app role owns a table through a NOLOGIN owner role it belongs to: invisible to role_table_grants.
    const owner = `${t.appRole}_owner`
    await queryRows(dbUrl(), `CREATE ROLE ${owner} NOLOGIN; GRANT ${owner} TO ${t.appRole};
      CREATE TABLE ledger (id int); ALTER TABLE ledger OWNER TO ${owner}`)
    // The classic duplicate: turned on, then `echo SKIP_MIGRATIONS=TRUE >> .env`, which wins and reads as off.
    appendFileSync(t.envFile, 'SKIP_MIGRATIONS=TRUE\n')
    writeFileSync(join(t.dir, 'migrations', '001_add_notes.sql'), 'CREATE TABLE notes (id int);\n')
    writeFileSync(join(t.dir, 'migrations', '002_drop_things.sql'), '-- cleanup\nALTER TABLE notes ADD COLUMN body text;\nDROP TABLE things;\n')
    const corrupt = join(t.dir, 'backups', 'db_backup_20261130_020000.sql.gz')
    writeFileSync(corrupt, 'not gzip at all')
    // Written an hour ago: a file changed in the last minute may still be being written.
    utimesSync(corrupt, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000))
    admin = await c.login('admin', c.adminPassword)
    viewer = await c.signInAs('watcher', 'viewer')
    const run = await json(await c.request('/api/targets/main/checklists/runs', { method: 'POST', cookie: admin, body: { phase: 'pre' } }))
    await c.request(`/api/targets/main/checklists/runs/${run.id}/items/rollback-plan`, { method: 'PUT', cookie: admin, body: { done: true, note: HOSTILE_NOTE } })
    startedAt = Date.now()
    const res = await c.request('/api/targets/main/report', { cookie: admin })
    expect(res.status).toBe(200)
    report = await res.json() as SafetyReport
    finishedAt = Date.now()
  })
  afterAll(async () => { await c?.cleanup() })

  it('gives the verdict of the pre-deploy gate, with the same count of failing checks', async () => {
    const gate = await json(await c.request('/api/targets/main/gate?phase=pre', { cookie: admin }))
    const failing = gate.items.filter((i: { pass: boolean }) => !i.pass)
    expect(gate.pass).toBe(false)
    expect(report.verdict).toBe('not-ready')
    expect(report.markdown).toContain(`**NOT READY**: ${failing.length} of ${gate.items.length} pre-deploy checks fail`)
    for (const item of gate.items) expect(section(report.markdown, 'Executive summary')).toContain(item.label)
  })

  it('says the app role can lose data through ownership the old role_table_grants check cannot see', async () => {
    const seedRows = await queryRows(dbUrl(), 'SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = $1', [t.appRole])
    expect(seedRows.map((r) => r.privilege_type)).not.toContain('TRUNCATE')
    const [{ can }] = await queryRows(dbUrl(), 'SELECT has_table_privilege($1, \'ledger\', \'TRUNCATE\') AS can', [t.appRole])
    expect(can).toBe(true)
    const [{ owned }] = await queryRows(dbUrl(), `SELECT count(*)::int AS owned FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
      WHERE r.rolname = $1 AND c.relkind IN ('r', 'p')`, [`${t.appRole}_owner`])

    expect(section(report.markdown, 'Executive summary')).toMatch(/✗ \*\*Can the app's role lose data\? Yes\.\*\*/)
    const powers = section(report.markdown, '1. The app role')
    expect(powers).toContain('**Verdict: UNSAFE**')
    const missed = powers.slice(powers.indexOf('### What the old check would have missed'))
    expect(missed).toContain(`shows no TRUNCATE for ${t.appRole}, but it owns ${owned} table through its membership in ${t.appRole}_owner and can TRUNCATE and DROP it`)
  })

  it('reads SKIP_MIGRATIONS as the app does and names the line that wins', () => {
    const text = readFileSync(t.envFile, 'utf8')
    const value = dotenvParse(text).SKIP_MIGRATIONS
    expect(value).toBe('TRUE')
    const lines = text.split('\n')
    const winningLine = lines.map((l, i) => (l.startsWith('SKIP_MIGRATIONS=') ? i + 1 : 0)).reduce((a, b) => Math.max(a, b))
    const pendingFiles = readdirSync(join(t.dir, 'migrations')).filter((f) => f.endsWith('.sql')).length

    expect(section(report.markdown, 'Executive summary'))
      .toContain(`SKIP_MIGRATIONS is \`${value}\` (${t.envFile} line ${winningLine}), so ${pendingFiles} pending migrations WILL run on start`)
    const env = section(report.markdown, '2. Environment')
    expect(env).toContain('`process.env.SKIP_MIGRATIONS === \'true\'`')
    expect(env).toContain('**The next start WILL run pending migrations.**')
    expect(env).toMatch(new RegExp(`\\| ${winningLine} \\| \`TRUE\` \\| \\*\\*yes\\*\\* \\|`))
  })

  it('lists the pending migrations with the destructive statement at its line', () => {
    const file = readFileSync(join(t.dir, 'migrations', '002_drop_things.sql'), 'utf8')
    const dropLine = file.split('\n').findIndex((l) => l.startsWith('DROP TABLE')) + 1
    const m = section(report.markdown, '3. Migrations')
    expect(m).toContain('Applied 0, pending 2')
    const row = m.split('\n').find((l) => l.startsWith('| `002_drop_things` |'))
    expect(row).toMatch(new RegExp(`✗ line ${dropLine} `))
    expect(section(report.markdown, 'Executive summary')).toContain('**Pending migrations?** 2 migrations, 1 with destructive findings')
  })

  it('counts the backups on disk and says none was restore-tested', () => {
    const files = readdirSync(join(t.dir, 'backups'))
    const b = section(report.markdown, '4. Backups')
    expect(b).toContain(`${files.length} backup in`)
    expect(b).toContain('0 restore-tested')
    expect(b).toContain('1 corrupt')
    expect(b).toContain(`| \`${files[0]}\` |`)
    expect(section(report.markdown, 'Executive summary')).toContain('**Can we restore now?** No backup has passed a restore test')
  })

  it('shows who ticked what, with the note quoted and inert', () => {
    const lists = section(report.markdown, '5. Checklists')
    expect(lists).toMatch(/\| ✓ \| Document rollback plan \| admin \| \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \|/)
    expect(lists).toContain('Note on "Document rollback plan" by admin:')
    const html = renderReportHtml(report.markdown)
    expect(html).not.toMatch(/<script|href="javascript:|<img/i)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
  })

  it('stamps every section with when it was observed', () => {
    const sections = report.markdown.split('\n## ').slice(1)
    expect(sections.length).toBeGreaterThanOrEqual(6)
    for (const s of sections) {
      const stamp = s.match(/_Observed (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) UTC\._/)
      expect(stamp, s.slice(0, 40)).not.toBeNull()
      const at = Date.parse(`${stamp![1].replace(' ', 'T')}Z`)
      expect(at).toBeGreaterThanOrEqual(Math.floor(startedAt / 1000) * 1000)
      expect(at).toBeLessThanOrEqual(finishedAt)
    }
    expect(report.markdown).not.toContain(t.appPassword)
  })

  it('downloads as a Markdown file, and a viewer may read it', async () => {
    const res = await c.request('/api/targets/main/report?format=markdown', { cookie: viewer })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/markdown/)
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="safety-report-main-\d{8}-\d{4}\.md"$/)
    expect(await res.text()).toMatch(/^# Database safety in production: Target main\n/)
    const bad = await c.request('/api/targets/main/report?format=pdf', { cookie: viewer })
    expect(bad.status).toBe(400)
    expect((await json(bad)).message).toMatch(/format/)
  })

  it('still reports an unreachable target, saying what could not be read and why', async () => {
    const down = await json(await c.request('/api/targets/down/report', { cookie: admin }))
    expect(down.verdict).toBe('not-ready')
    expect(section(down.markdown, '1. The app role')).toMatch(/Could not be read: the database cannot be reached: connect ECONNREFUSED/)
    expect(section(down.markdown, '3. Migrations')).toContain('Could not be read')
  })

  it('reports one deploy as recorded: its note, who overrode which step and why, how it ended', async () => {
    const note = 'release 2.4 <b>hot</b>'
    const started = await c.request('/api/targets/main/deploys', { method: 'POST', cookie: admin, body: { note } })
    expect(started.status, await started.clone().text()).toBe(201)
    const d = await json(started)
    const why = 'gate checked by hand on the staging copy'
    expect((await c.request(`/api/targets/main/deploys/${d.id}/steps/pre-gate/override`, { method: 'POST', cookie: admin, body: { reason: why } })).status).toBe(200)
    const ended = await c.request(`/api/targets/main/deploys/${d.id}/end`, { method: 'POST', cookie: admin, body: { outcome: 'abandoned', reason: 'release postponed to Monday' } })
    expect(ended.status).toBe(200)
    const record = await json(await c.request(`/api/targets/main/deploys/${d.id}`, { cookie: admin }))

    const md = (await json(await c.request(`/api/targets/main/report?deploy=${d.id}`, { cookie: viewer }))).markdown as string
    const part = section(md, `Deploy #${d.id}`)
    expect(md.indexOf(`## Deploy #${d.id}`)).toBeLessThan(md.indexOf('## Executive summary'))
    expect(part).toContain(`Started by admin at ${record.startedAt.slice(0, 19).replace('T', ' ')} UTC; **abandoned**, ended by admin`)
    expect(part).toContain('> release 2.4 \\<b\\>hot\\</b\\>')
    expect(part).toContain('> release postponed to Monday')
    expect(part).toMatch(new RegExp(`\\| ⚠ \\| Pre-deploy gate \\| .* \\| overridden by admin at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC: ${why} \\|`))
    expect(record.steps.find((s: { key: string }) => s.key === 'pre-gate').override.reason).toBe(why)
    const download = await c.request(`/api/targets/main/report?deploy=${d.id}&format=markdown`, { cookie: viewer })
    expect(download.headers.get('content-disposition')).toMatch(new RegExp(`filename="safety-report-main-deploy-${d.id}-\\d{8}-\\d{4}\\.md"`))
    const missing = await c.request('/api/targets/main/report?deploy=99999', { cookie: viewer })
    expect(missing.status).toBe(404)
    expect((await json(missing)).message).toMatch(/No deploy #99999/)
    expect((await c.request('/api/targets/main/report?deploy=abc', { cookie: viewer })).status).toBe(400)
  })

  it('comes from the CLI with a read-only API token', async () => {
    const { token } = await json(await c.request('/api/tokens', { method: 'POST', cookie: admin, body: { name: 'report cli' } }))
    const out = join(mkdtempSync(join(tmpdir(), 'dbsafe-report-')), 'report.md')
    const r = await cli(['report', '--target', 'main', '--out', out], { DBSAFE_URL: c.url, DBSAFE_TOKEN: token })
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout).toBe(`dbsafe: wrote the safety report of main to ${out}\n`)
    const md = readFileSync(out, 'utf8')
    expect(md).toMatch(/^# Database safety in production: Target main\n/)
    expect(md).toContain('by API token "report cli"')
    const printed = await cli(['report', '--target', 'main'], { DBSAFE_URL: c.url, DBSAFE_TOKEN: token })
    expect(printed.stdout).toContain('## 4. Backups')
    const missing = await cli(['report'], { DBSAFE_URL: c.url, DBSAFE_TOKEN: token })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(/--target is required/)
  })
})
