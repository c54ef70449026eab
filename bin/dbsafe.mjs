#!/usr/bin/env node
// dbsafe CLI for deploy scripts: asks the console's gate whether a target is ready, or fetches its safety report.
// Plain Node, no dependencies, no build step.
import { writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'

const USAGE = `Usage: dbsafe check --target <id> [--phase pre|post] [--url <console url>] [--token <api token>]
       dbsafe report --target <id> [--deploy <n>] [--out <file.md>] [--url <console url>] [--token <api token>]

  check      runs the deploy gate: exit 0 every check passes, 1 a check fails
  report     prints the target's safety report (Markdown) from live evidence, or writes it to --out

  --target   the target's id in the console (e.g. production)
  --phase    pre (default) before the deploy, post after it
  --deploy   report: the report of that deploy (its record first)
  --out      report: the file to write instead of standard output
  --url      the console, default $DBSAFE_URL or http://127.0.0.1:3000
  --token    a read-only API token (create one on the console's Tokens page), default $DBSAFE_TOKEN

Exit status 2: usage or connection error.`

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
        target: { type: 'string' }, phase: { type: 'string', default: 'pre' }, out: { type: 'string' }, deploy: { type: 'string' },
        url: { type: 'string' }, token: { type: 'string' }, help: { type: 'boolean', short: 'h' },
      },
    })
  } catch (err) {
    return fail(err.message, true)
  }
}

/** GETs a console API path with the token; exits 2 on anything but the statuses the caller expects. */
async function ask({ url, token }, path, accept, okStatuses = [200]) {
  if (!token) fail('no API token: pass --token or set DBSAFE_TOKEN', true)
  let base
  try {
    base = new URL(url)
  } catch {
    fail(`--url "${url}" is not a URL`, true)
  }
  const endpoint = new URL(path, base)
  let res
  try {
    res = await fetch(endpoint, { headers: { authorization: `Bearer ${token}`, accept }, signal: AbortSignal.timeout(120_000) })
  } catch (err) {
    fail(`cannot reach the console at ${base.origin}: ${err.cause?.message ?? err.message}`)
  }
  if (!okStatuses.includes(res.status)) {
    const body = await res.json().catch(() => null)
    fail(`${endpoint.pathname} answered ${res.status}: ${body?.message ?? res.statusText}${res.status === 401 ? ' (is the token valid and not revoked?)' : ''}`)
  }
  return { res, endpoint }
}

async function check({ target, phase, ...conn }) {
  if (!target) fail('--target is required', true)
  if (!['pre', 'post'].includes(phase)) fail(`--phase must be pre or post, not "${phase}"`, true)
  const { res, endpoint } = await ask(conn, `/api/targets/${encodeURIComponent(target)}/gate?phase=${phase}`, 'application/json', [200, 412])
  const body = await res.json().catch(() => null)
  if (!body || !Array.isArray(body.items)) fail(`${endpoint.pathname} answered ${res.status} without a gate result`)
  const failing = body.items.filter((i) => !i.pass).length
  process.stdout.write(`dbsafe ${phase}-deploy gate for ${body.target}: ${body.pass ? 'PASS' : `FAIL (${failing} of ${body.items.length} checks fail)`}\n`)
  for (const item of body.items) {
    process.stdout.write(`  ${item.pass ? '✓' : '✗'} ${item.label}: ${item.evidence?.value ?? ''}\n`)
    if (!item.pass && item.evidence?.detail) process.stdout.write(`      ${item.evidence.detail}\n`)
  }
  process.exitCode = body.pass && res.status === 200 ? EXIT.pass : EXIT.fail
}

async function report({ target, out, deploy, ...conn }) {
  if (!target) fail('--target is required', true)
  if (deploy !== undefined && !/^[1-9]\d*$/.test(deploy)) fail(`--deploy must be a deploy number, not "${deploy}"`, true)
  const { res } = await ask(conn, `/api/targets/${encodeURIComponent(target)}/report?format=markdown${deploy ? `&deploy=${deploy}` : ''}`, 'text/markdown')
  const markdown = await res.text()
  if (!out) return void process.stdout.write(markdown)
  try {
    writeFileSync(out, markdown)
  } catch (err) {
    fail(`cannot write ${out}: ${err.message}`)
  }
  process.stdout.write(`dbsafe: wrote the safety report of ${target} to ${out}\n`)
}

const { values, positionals } = parse(process.argv.slice(2))
if (values.help) {
  process.stdout.write(`${USAGE}\n`)
  process.exit(EXIT.pass)
}
const COMMANDS = { check, report }
const command = positionals.length === 1 && Object.hasOwn(COMMANDS, positionals[0]) ? COMMANDS[positionals[0]] : undefined
if (!command) fail(positionals.length ? `unknown command "${positionals.join(' ')}"` : 'no command', true)
await command({
  target: values.target,
  phase: values.phase,
  out: values.out,
  deploy: values.deploy,
  url: values.url ?? process.env.DBSAFE_URL ?? 'http://127.0.0.1:3000',
  token: values.token ?? process.env.DBSAFE_TOKEN,
})
