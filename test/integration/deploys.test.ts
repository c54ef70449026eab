import { readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { pruneBackups, retentionPlan } from '~server/backups/retention'
import type { TargetConfig } from '~server/config/schema'
import { acknowledgePrivileges, checkStep, confirmRestart, deploySummaries, endDeploy, getDeploy, overrideStep, startDeploy } from '~server/deploys/record'
import { setDeployBackup } from '~server/deploys/store'
import { cluster, createConsoleDatabase } from '../support/db'
import { createTargetFixture, targetConfigFor } from '../support/fixture'

const DAY = 86_400_000
const env = (fx: { envFile: string }, skip: string) => {
  const text = readFileSync(fx.envFile, 'utf8').replace(/^SKIP_MIGRATIONS=.*$/m, `SKIP_MIGRATIONS=${skip}`)
  writeFileSync(fx.envFile, text)
}
// A name only a custom-format dump carries: listed, and found corrupt (so keepMin never protects it).
const dumpName = (d: Date) => `dbsafe_main_${d.toISOString().replace(/[-:]/g, '').slice(0, 15)}Z.dump`

describe('deploys as records', () => {
  let fx: Awaited<ReturnType<typeof createTargetFixture>>
  let consoleDb: Awaited<ReturnType<typeof createConsoleDatabase>>
  let target: TargetConfig
  const superuser = async (sql: string) => {
    const c = new pg.Client(cluster().urlFor(fx.database))
    await c.connect()
    await c.query(sql)
    await c.end()
  }
  const state = async (id: number) => Object.fromEntries((await getDeploy(consoleDb.pool, target, id)).steps.map((s) => [s.key, s.state]))

  beforeAll(async () => {
    fx = await createTargetFixture('deploys', 'SKIP_MIGRATIONS=false\n')
    consoleDb = await createConsoleDatabase('deploys_console')
    target = targetConfigFor(fx, { retentionDays: 7, deployPinDays: 14 })
  })
  afterAll(async () => {
    await consoleDb?.drop()
    await fx?.drop()
  })

  it('walks the steps in order: a later step is refused while an earlier one fails; an override unlocks it and stays amber', async () => {
    const deploy = await startDeploy(consoleDb.pool, target, 'ana', 'release 2.4.0')
    expect(deploy).toMatchObject({ note: 'release 2.4.0', startedBy: 'ana', outcome: null, current: 'pre-gate' })
    expect(deploy.steps.map((s) => s.state)).toEqual(['current', 'locked', 'locked', 'locked', 'locked', 'locked', 'locked'])

    const pre = await checkStep(consoleDb.pool, target, deploy.id, 'pre-gate', 'ana')
    const preStep = pre.steps[0]!
    expect(preStep).toMatchObject({ state: 'current', status: 'failed' })
    expect(preStep.evidence!.value).toContain('SKIP_MIGRATIONS')
    expect(preStep.evidence!.items!.find((i) => i.key === 'fresh-verified-backup')).toMatchObject({ deferred: 'backup' })
    await expect(checkStep(consoleDb.pool, target, deploy.id, 'backup', 'ana')).rejects.toMatchObject({ code: 'step-locked' })
    await expect(confirmRestart(consoleDb.pool, target, deploy.id, 'ana', null)).rejects.toMatchObject({ code: 'step-locked' })

    const overridden = await overrideStep(consoleDb.pool, target, deploy.id, 'pre-gate', 'root', 'SKIP_MIGRATIONS is set before the restart, step 5')
    expect(overridden.steps[0]).toMatchObject({ state: 'overridden', override: { by: 'root', reason: 'SKIP_MIGRATIONS is set before the restart, step 5' } })
    expect(overridden.current).toBe('backup')

    const backup = await checkStep(consoleDb.pool, target, deploy.id, 'backup', 'ana')
    expect(backup.steps[1]).toMatchObject({ state: 'current', status: 'failed', evidence: { value: 'no backup taken since the deploy started' } })
    await overrideStep(consoleDb.pool, target, deploy.id, 'backup', 'root', 'nightly backup restore-tested an hour ago')
    const rehearsal = await checkStep(consoleDb.pool, target, deploy.id, 'rehearsal', 'ana')
    expect(rehearsal.steps[2]).toMatchObject({ state: 'skipped' })
    expect(rehearsal.steps[2]!.evidence!.value).toMatch(/^nothing to rehearse/)
    expect((await checkStep(consoleDb.pool, target, deploy.id, 'migrations', 'ana')).steps[3]!.state).toBe('passed')

    expect((await checkStep(consoleDb.pool, target, deploy.id, 'skip-migrations', 'ana')).steps[4]).toMatchObject({ state: 'current', status: 'failed' })
    await expect(endDeploy(consoleDb.pool, target, deploy.id, 'ana', { outcome: 'succeeded' })).rejects.toMatchObject({ code: 'steps-not-done' })
    env(fx, 'true')
    expect((await checkStep(consoleDb.pool, target, deploy.id, 'skip-migrations', 'ana')).steps[4]!.state).toBe('passed')
    await expect(checkStep(consoleDb.pool, target, deploy.id, 'restart', 'ana')).rejects.toMatchObject({ code: 'confirm-restart' })
    const restarted = await confirmRestart(consoleDb.pool, target, deploy.id, 'ana', 'pm2 restart app at 10:02')
    expect(restarted.steps[5]).toMatchObject({ state: 'passed', checkedBy: 'ana', evidence: { value: 'confirmed by ana', detail: 'pm2 restart app at 10:02' } })
    const post = await checkStep(consoleDb.pool, target, deploy.id, 'post-gate', 'ana')
    expect(post.steps[6]).toMatchObject({ state: 'passed' })
    expect(post.steps[6]!.evidence!.items!.find((i) => i.key === 'privileges')).toMatchObject({ pass: true, evidence: { value: 'unchanged' } })

    const ended = await endDeploy(consoleDb.pool, target, deploy.id, 'ana', { outcome: 'succeeded' })
    expect(ended).toMatchObject({ outcome: 'succeeded-with-overrides', endedBy: 'ana', current: null })
    expect(await state(deploy.id)).toMatchObject({ 'pre-gate': 'overridden', 'backup': 'overridden', 'rehearsal': 'skipped', 'post-gate': 'passed' })
    await expect(overrideStep(consoleDb.pool, target, deploy.id, 'post-gate', 'root', 'too late for anything')).rejects.toMatchObject({ code: 'deploy-ended' })
    expect(await deploySummaries(consoleDb.pool, target.id)).toMatchObject({ open: null, last: { id: deploy.id, outcome: 'succeeded-with-overrides' } })
  })

  it('lets exactly one of two concurrent starts open a deploy', async () => {
    const results = await Promise.allSettled([startDeploy(consoleDb.pool, target, 'ana', 'a'), startDeploy(consoleDb.pool, target, 'bob', 'b')])
    const won = results.filter((r) => r.status === 'fulfilled')
    const lost = results.filter((r) => r.status === 'rejected')
    expect(won).toHaveLength(1)
    expect(lost).toHaveLength(1)
    expect(lost[0]!.reason).toMatchObject({ code: 'deploy-open' })
    const open = (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof startDeploy>>>).value
    expect((await deploySummaries(consoleDb.pool, target.id)).open).toMatchObject({ id: open.id, current: 'pre-gate' })
    await endDeploy(consoleDb.pool, target, open.id, 'ana', { outcome: 'abandoned', reason: 'two of us started at once' })
  })

  it('keeps an open deploy\'s backup through a prune that deletes it otherwise, and lets it go once the pin expires', async () => {
    const [old, newer, other] = [30, 1, 29].map((daysAgo) => dumpName(new Date(Date.now() - daysAgo * DAY)))
    for (const [f, daysAgo] of [[old!, 30], [newer!, 1], [other!, 29]] as const) {
      const at = new Date(Date.now() - daysAgo * DAY)
      writeFileSync(join(target.backupsDir, f), 'not a dump')
      utimesSync(join(target.backupsDir, f), at, at)
    }
    const deploy = await startDeploy(consoleDb.pool, target, 'ana', null)
    const client = await consoleDb.pool.connect()
    await setDeployBackup(client, deploy.id, old)
    client.release()

    const plan = await retentionPlan(consoleDb.pool, target, { keepMin: 1 })
    expect(plan.keep.find((k) => k.id === old)?.reason).toBe(`pinned by deploy #${deploy.id}, still open`)
    const removed = await pruneBackups(consoleDb.pool, target, { keepMin: 1 })
    expect(removed.map((r) => r.id)).toContain(other)
    expect(removed.map((r) => r.id)).not.toContain(old)

    await endDeploy(consoleDb.pool, target, deploy.id, 'ana', { outcome: 'rolled-back', reason: 'orders page broke after release' })
    const within = await retentionPlan(consoleDb.pool, target, { keepMin: 1, now: new Date(Date.now() + 13 * DAY) })
    expect(within.keep.find((k) => k.id === old)?.reason).toMatch(new RegExp(`^pinned by deploy #${deploy.id} until \\d{4}-\\d\\d-\\d\\d$`))
    const after = await pruneBackups(consoleDb.pool, target, { keepMin: 1, now: new Date(Date.now() + 15 * DAY) })
    expect(after.map((r) => r.id)).toContain(old)
  })

  it('shows what a migration GRANTed and an owner change; the post-deploy gate fails on a new destructive power until acknowledged', async () => {
    env(fx, 'true')
    const deploy = await startDeploy(consoleDb.pool, target, 'ana', 'release 2.5.0')
    expect(deploy.privileges).toMatchObject({ role: fx.appRole, counts: { owners: 0, attributes: 0, memberships: 0 } })
    expect(deploy.privileges!.counts.grants).toBeGreaterThanOrEqual(6)
    await superuser(`CREATE TABLE invoices (id int); GRANT SELECT, TRUNCATE ON invoices TO ${fx.appRole}; ALTER TABLE things OWNER TO ${fx.appRole}`)
    for (const step of ['pre-gate', 'backup', 'rehearsal', 'migrations', 'skip-migrations'] as const) {
      await overrideStep(consoleDb.pool, target, deploy.id, step, 'root', 'covered by the first deploy today')
    }
    await confirmRestart(consoleDb.pool, target, deploy.id, 'ana', null)
    const post = await checkStep(consoleDb.pool, target, deploy.id, 'post-gate', 'ana')
    expect(post.steps[6]).toMatchObject({ state: 'current', status: 'failed' })
    const diff = post.privileges!.diff!
    const added = Object.fromEntries(diff.added.map((c) => [c.entry, c.destructive]))
    expect(added).toEqual({
      [`grant SELECT on table public.invoices to ${fx.appRole}`]: false,
      [`grant TRUNCATE on table public.invoices to ${fx.appRole}`]: true,
      [`table public.things owned by ${fx.appRole}`]: true,
      // ALTER TABLE … OWNER moves the table's owned sequence with it.
      [`sequence public.things_id_seq owned by ${fx.appRole}`]: true,
    })
    expect(diff.removed.map((c) => c.entry)).toContain(`grant DELETE on table public.things to ${fx.appRole}`)
    expect(diff.acknowledged).toBeNull()
    expect(post.steps[6]!.evidence!.items!.find((i) => i.key === 'privileges')).toMatchObject({ pass: false, evidence: { value: '3 new destructive power(s)' } })
    await expect(endDeploy(consoleDb.pool, target, deploy.id, 'ana', { outcome: 'succeeded' })).rejects.toMatchObject({ code: 'steps-not-done' })

    const acked = await acknowledgePrivileges(consoleDb.pool, target, deploy.id, 'root', 'invoices are rebuilt nightly with TRUNCATE')
    // The acknowledgement covers the new powers, not the role being unsafe now that it owns a table: the gate says so.
    expect(acked.steps[6]!.evidence!.items!.find((i) => i.key === 'privileges')).toMatchObject({ pass: true, evidence: { value: '3 new destructive power(s), acknowledged by root' } })
    expect(acked.steps[6]).toMatchObject({ state: 'current', evidence: { value: 'blocked by 1: The app role cannot drop or wipe data (privileges not unsafe)' } })
    const overridden = await overrideStep(consoleDb.pool, target, deploy.id, 'post-gate', 'root', 'ownership moves to app_owner in the next release')
    expect(overridden.steps[6]).toMatchObject({ state: 'overridden', status: 'overridden' })
    expect(acked.privileges!.diff!.acknowledged).toMatchObject({ by: 'root', reason: 'invoices are rebuilt nightly with TRUNCATE' })
    expect((await endDeploy(consoleDb.pool, target, deploy.id, 'ana', { outcome: 'succeeded' })).outcome).toBe('succeeded-with-overrides')
    const { rows } = await consoleDb.pool.query('SELECT start_entries FROM deploy_privileges WHERE deploy_id = $1', [deploy.id])
    expect(rows[0].start_entries).toBeNull()
    expect((await getDeploy(consoleDb.pool, target, deploy.id)).privileges!.diff!.added).toHaveLength(4)
  })
})
