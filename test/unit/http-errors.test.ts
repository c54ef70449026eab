import { createApp, createError, defineEventHandler, toWebHandler } from 'h3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { BackupBusyError } from '~server/backups/lock'
import { BackupsDirMissingError } from '~server/backups/paths'
import { RestoreRoleRefusedError } from '~server/backups/restore-role'
import { UserExistsError } from '~server/auth/users'
import { EnvFileMissingError } from '~server/envfile/toggle'
import errorHandler from '~server/error'
import { BusyError, InvalidError, NotFoundError, RefusedError, UnreachableError } from '~server/errors'
import { toHttpError } from '~server/http/errors'
import { RehearsalRefusedError } from '~server/migrations/rehearsal-backup'
import { RehearsalBusyError } from '~server/migrations/start-rehearsal'
import { MigrationBusyError } from '~server/migrations/start-run'
import { NoConnectionError } from '~server/database/target-pool'

const target = { id: 'prod', label: 'Production' }

/** What a caller gets when a handler throws `err`, through h3 and the console's error handler, as on the server. */
async function respond(err: unknown, opts: { target?: typeof target } = {}) {
  const app = createApp({ onError: (error, event) => errorHandler(error, event, { defaultHandler: () => { throw new Error('not used') } }) })
  app.use('/', defineEventHandler((event) => {
    if (opts.target) event.context.target = opts.target
    throw err
  }))
  const res = await toWebHandler(app)(new Request('http://console/api/x'))
  return { status: res.status, body: await res.json() as any }
}

describe('one mapping from errors to HTTP', () => {
  afterEach(() => vi.restoreAllMocks())

  it.each([
    ['NotFoundError', new NotFoundError('No checklist run #3 for Production'), 404],
    ['BusyError', new BusyError('A migration run is already in progress on Production'), 409],
    ['RefusedError', new RefusedError('Checklist run #3 is closed'), 409],
    ['RefusedError with 400', new RefusedError('Invalid body: upTo: "x" is not a pending migration', { status: 400 }), 400],
    ['RefusedError with 412', new RefusedError('the gate is closed', { status: 412 }), 412],
    ['InvalidError', new InvalidError('Invalid body: not valid JSON'), 400],
    ['BackupBusyError', new BackupBusyError('main'), 409],
    ['MigrationBusyError', new MigrationBusyError('A migration run is already in progress on Production'), 409],
    ['BackupsDirMissingError', new BackupsDirMissingError('The backups dir /srv/backups of "main" does not exist'), 409],
    ['EnvFileMissingError', new EnvFileMissingError('The env file /srv/app/.env does not exist'), 409],
    ['UserExistsError', new UserExistsError('User "carol" already exists'), 409],
    ['RehearsalBusyError', new RehearsalBusyError('A rehearsal is already running on Production'), 409],
  ])('%s answers %i with its message', async (_name, err, status) => {
    expect(toHttpError(err)).toMatchObject({ statusCode: status, message: err.message })
    expect(await respond(err)).toEqual({ status, body: { statusCode: status, message: err.message } })
  })

  it('passes a code and data on beside the message', async () => {
    const err = new RefusedError('Refusing to run: 1 destructive finding(s) not acknowledged', { code: 'unacknowledged', data: { findings: [{ rule: 'drop-table' }] } })
    expect((await respond(err)).body).toEqual({ statusCode: 409, message: err.message, data: { code: 'unacknowledged', findings: [{ rule: 'drop-table' }] } })
    const invalid = new InvalidError('Invalid body: confirm: type "main"', [{ field: 'confirm', message: 'type "main"' }])
    expect((await respond(invalid)).body.data).toEqual({ issues: [{ field: 'confirm', message: 'type "main"' }] })
  })

  it('names the running job in a busy refusal once the console has found it, so the page can follow it', async () => {
    const busy = new BackupBusyError('main')
    busy.jobId = 41
    expect(await respond(busy)).toEqual({ status: 409, body: { statusCode: 409, message: busy.message, data: { jobId: 41 } } })
  })

  it('refuses a rehearsal, and a restore role that could escalate, with 409 and the case\'s code', async () => {
    const none = new RehearsalRefusedError('Nothing to rehearse on: the backups dir of "main" holds no backups. Take a backup first.', 'no-usable-backup')
    expect(await respond(none)).toEqual({ status: 409, body: { statusCode: 409, message: none.message, data: { code: 'no-usable-backup' } } })
    const role = new RestoreRoleRefusedError('Refusing to restore as "postgres" on the restore-test server: it is a superuser.')
    expect(await respond(role)).toEqual({ status: 409, body: { statusCode: 409, message: role.message, data: { code: 'unsafe-restore-role', sql: expect.stringContaining('CREATE ROLE dbsafe_restore') } } })
  })

  it('words an unreachable target with its label, since when it fails and the driver\'s reason, from a domain error or a driver failure', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => {})
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
    const dualStack = new AggregateError([refused, Object.assign(new Error('connect ECONNREFUSED ::1:5432'), { code: 'ECONNREFUSED' })], '')
    const timedOut = new Error('Connection terminated due to connection timeout', { cause: new Error('Connection terminated unexpectedly') })
    const badPassword = Object.assign(new Error('password authentication failed for user "app"'), { code: '28P01' })
    const noNetwork = Object.assign(new Error('connect ENETUNREACH 10.9.8.7:5432 - Local (0.0.0.0:0)'), { code: 'ENETUNREACH' })
    const goneMidQuery = new Error('Connection terminated unexpectedly')
    const cases: [unknown, string][] = [
      [new NoConnectionError('DB_NAME is not set in /srv/app/.env'), 'DB_NAME is not set in /srv/app/.env'],
      [new UnreachableError('the server is starting up'), 'the server is starting up'],
      [refused, 'connect ECONNREFUSED 127.0.0.1:5432'],
      [dualStack, 'connect ECONNREFUSED 127.0.0.1:5432; connect ECONNREFUSED ::1:5432'],
      [timedOut, 'Connection terminated due to connection timeout'],
      [badPassword, 'password authentication failed for user "app"'],
      [noNetwork, 'connect ENETUNREACH 10.9.8.7:5432 - Local (0.0.0.0:0)'],
      [goneMidQuery, 'Connection terminated unexpectedly'],
    ]
    const since = (toHttpError(refused, target).data as { since: string }).since
    expect(Date.parse(since)).toBeLessThanOrEqual(Date.now())
    for (const [err, reason] of cases) {
      const message = `Production cannot be reached (failing since ${since}): ${reason}`
      const data = { code: 'unreachable', target: 'prod', reason, since }
      expect(toHttpError(err, target)).toMatchObject({ statusCode: 503, message, data })
      // h3 wraps what a handler throws; the mapping sees through the wrapper, the cause of `timedOut` included.
      const wrapped = Object.assign(createError(err as Error), { unhandled: true })
      expect(toHttpError(wrapped, target)).toMatchObject({ statusCode: 503, message })
      expect(await respond(err, { target })).toEqual({ status: 503, body: { statusCode: 503, message, data } })
    }
    expect(console.error).toHaveBeenCalledWith(`[dbsafe] GET /api/x: Production cannot be reached (failing since ${since}): connect ECONNREFUSED 127.0.0.1:5432`)
  })

  it('keeps a driver failure outside a target request, and a domain error that mentions a timeout, as they are', () => {
    expect(toHttpError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toMatchObject({ statusCode: 500 })
    expect(toHttpError(new RefusedError('lock_timeout is too short'), target)).toMatchObject({ statusCode: 409, message: 'lock_timeout is too short' })
  })

  it('passes an HTTP error from a route on as it is', async () => {
    const err = createError({ statusCode: 403, message: 'Requires the admin role' })
    expect(toHttpError(err, target)).toBe(err)
    expect(await respond(err)).toEqual({ status: 403, body: { statusCode: 403, message: 'Requires the admin role' } })
  })

  it('answers anything else with a 500 that keeps its message to the log', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {})
    const err = new Error('relation "secret_table" does not exist')
    expect(toHttpError(err, target)).toMatchObject({ statusCode: 500, message: err.message })
    const res = await respond(err, { target })
    expect(res).toEqual({ status: 500, body: { statusCode: 500, message: 'Internal server error' } })
    expect(JSON.stringify(res.body)).not.toContain('secret_table')
    expect(log).toHaveBeenCalledWith('[dbsafe] GET /api/x: relation "secret_table" does not exist')
  })
})
