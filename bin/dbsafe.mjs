#!/usr/bin/env node
// dbsafe CLI for deploy scripts: asks the console's gate whether a target is ready, and exits
// 0 (ready), 1 (not ready) or 2 (could not ask). Plain Node, no dependencies, no build step.
import { parseArgs } from 'node:util'

const USAGE = `Usage: dbsafe check --target <id> [--phase pre|post] [--url <console url>] [--token <api token>]

  --target   the target's id in the console (e.g. production)
  --phase    pre (default) before the deploy, post after it
  --url      the console, default $DBSAFE_URL or http://127.0.0.1:3000
  --token    a read-only API token (create one on the console's Tokens page), default $DBSAFE_TOKEN

Exit status: 0 every check passes, 1 a check fails, 2 usage or connection error.`

const EXIT = { pass: 0, fail: 1, error: 2 }

function fail(message, showUsage = false) {
  process.stderr.write(`dbsafe: ${message}\n${showUsage ? `\n${USAGE}\n` : ''}`)
  process.exit(EXIT.error)
}

function parse(argv) {
  try {
    return parseArgs({
      args: argv, allowPositionals: true, strict: true,
      options: {
        target: { type: 'string' }, phase: { type: 'string', default: 'pre' },
        url: { type: 'string' }, token: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (err) {
    return fail(err.message, true)
  }
}

async function check({ target, phase, url, token }) {
  if (!target) fail('--target is required', true)
  if (!['pre', 'post'].includes(phase)) fail(`--phase must be pre or post, not "${phase}"`, true)
  if (!token) fail('no API token: pass --token or set DBSAFE_TOKEN', true)
  let base
  try {
    base = new URL(url)
  } catch {
    fail(`--url "${url}" is not a URL`, true)
  }
  const endpoint = new URL(`/api/targets/${encodeURIComponent(target)}/gate?phase=${phase}`, base)
  let res
  try {
    res = await fetch(endpoint, { headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, signal: AbortSignal.timeout(120_000) })
  } catch (err) {
    fail(`cannot reach the console at ${base.origin}: ${err.cause?.message ?? err.message}`)
  }
  const body = await res.json().catch(() => null)
  if (res.status !== 200 && res.status !== 412) {
    fail(`${endpoint.pathname} answered ${res.status}: ${body?.message ?? res.statusText}${res.status === 401 ? ' (is the token valid and not revoked?)' : ''}`)
  }
  if (!body || !Array.isArray(body.items)) fail(`${endpoint.pathname} answered ${res.status} without a gate result`)
  const failing = body.items.filter((i) => !i.pass).length
  process.stdout.write(`dbsafe ${phase}-deploy gate for ${body.target}: ${body.pass ? 'PASS' : `FAIL (${failing} of ${body.items.length} checks fail)`}\n`)
  for (const item of body.items) {
    process.stdout.write(`  ${item.pass ? '✓' : '✗'} ${item.label}: ${item.evidence?.value ?? ''}\n`)
    if (!item.pass && item.evidence?.detail) process.stdout.write(`      ${item.evidence.detail}\n`)
  }
  process.exitCode = body.pass && res.status === 200 ? EXIT.pass : EXIT.fail
}

const { values, positionals } = parse(process.argv.slice(2))
if (values.help) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(EXIT.pass)
}
if (positionals.length !== 1 || positionals[0] !== 'check') fail(positionals.length ? `unknown command "${positionals.join(' ')}"` : 'no command', true)
await check({
  target: values.target,
  phase: values.phase,
  url: values.url ?? process.env.DBSAFE_URL ?? 'http://127.0.0.1:3000',
  token: values.token ?? process.env.DBSAFE_TOKEN,
})
