import type { Remediation } from '~contract/privileges'
import type { Draft, FindingContext, ReportBase } from './findings'
import { inRunOrder } from './findings'
import { createOwnerRoleSql, q, STEPS, type Step } from './remediation'
import { hasLoop } from './remediation-bulk'

// One script for every finding. Its steps run in this order, and each says why there in its opening comment.
function stepText(role: string, owner: string): Record<Step, { title: string, why: string }> {
  return {
    'owner-role': {
      title: `Create the owner role ${owner}`,
      why: `It will own the database, schemas and tables instead of ${role}. NOLOGIN: nobody connects as it; migrations act as it through a login that is its member.`,
    },
    'ownership': {
      title: `Move ownership to ${owner}`,
      why: 'Owning an object gives DROP, TRUNCATE and ALTER, and no REVOKE takes them away: only a new owner ends them. First, because grants made while the app still owns an object would move with it.',
    },
    'grant': {
      title: `Give ${role} what the app keeps`,
      why: 'CONNECT, USAGE on its schemas, SELECT, INSERT, UPDATE and DELETE on its rows, USAGE on its sequences, also on tables created later. Before the revokes, so the running app never loses access.',
    },
    'revoke': {
      title: `Take away what ${role} should not have`,
      why: 'Memberships that pass on an owner\'s or a superuser\'s powers, TRUNCATE and other risky grants, writes granted to PUBLIC, risky default privileges.',
    },
    'attributes': {
      title: `Remove risky attributes of ${role}`,
      why: 'An app role needs none of them; each is a path to powers it was never granted.',
    },
  }
}

/** The ordered script for every finding's statements, with what changes for deploys; null when there is nothing to run. */
export function remediationScript(report: ReportBase, ctx: FindingContext, drafts: Draft[]): Remediation | null {
  const needsOwner = drafts.some((d) => d.needsOwnerRole)
  const stmts = inRunOrder([...(needsOwner && !ctx.ownerRole.exists ? createOwnerRoleSql(ctx.ownerRole.name) : []), ...drafts.flatMap((d) => d.sql)])
  if (!stmts.some((s) => !s.sql.startsWith('--'))) return null
  const text = stepText(q(report.role), q(ctx.ownerRole.name))
  const plain = stepText(report.role, ctx.ownerRole.name)
  const present = STEPS.filter((step) => stmts.some((s) => s.step === step))
  const sections = present.map((step, i) => [
    `-- ${i + 1}. ${text[step].title}`,
    ...wrap(text[step].why, 100).map((l) => `--    ${l}`),
    ...stmts.filter((s) => s.step === step).map((s) => s.sql),
  ].join('\n'))
  // Loops commit as they go (one transaction over thousands of tables runs out of lock slots): no BEGIN around them.
  const loops = stmts.some((s) => hasLoop(s.sql))
  const script = [
    `-- dbsafe remediation for role ${q(report.role)} on database ${q(report.database.name)} (PostgreSQL ${report.serverVersion}).`,
    '-- Review it, then run it once as a superuser: psql -v ON_ERROR_STOP=1 -f <this file>. dbsafe never runs it.',
    loops
      ? '-- It commits as it goes, so run it as it is, not inside BEGIN. Each object moves together with the app\'s grants on it:\n-- if it stops, the app keeps working; fix the cause and run the remaining steps.'
      : '-- One transaction: if a statement fails, nothing changes.',
    ...(loops ? [] : ['BEGIN;']),
    ...sections.map((s) => `\n${s}`),
    ...(loops ? [] : ['', 'COMMIT;']),
  ].join('\n') + '\n'
  return {
    script,
    steps: present.map((step) => plain[step]),
    deploys: deployNotes(report, ctx, drafts, needsOwner),
  }
}

function deployNotes(report: ReportBase, ctx: FindingContext, drafts: Draft[], ownershipMoves: boolean): string[] {
  const { role } = report
  const owner = ctx.ownerRole.name
  const has = (...codes: string[]) => drafts.some((d) => codes.includes(d.code))
  const notes: string[] = []
  if (ownershipMoves) {
    notes.push(
      `Migrations must run as ${owner}: give them a login of their own that acts as it (CREATE ROLE migrator LOGIN PASSWORD '…'; GRANT ${owner} TO migrator; ALTER ROLE migrator SET role = '${owner}';) and set that login's URL as the target's migrationDatabaseUrl. Tables it creates then belong to ${owner}, and ${role} gets its rows through default privileges.`,
      `If the app runs DDL when it starts (CREATE TABLE IF NOT EXISTS, an ORM's sync or auto-migrate), that now fails with "must be owner" or "permission denied": move it into the migrations.`,
    )
  }
  if (ownershipMoves || has('owns-tables', 'member-of-owner', 'truncate-grant', 'public-write', 'sequence-reset')) {
    notes.push(`${role} keeps SELECT, INSERT, UPDATE and DELETE on its tables and USAGE on its sequences; it can no longer DROP, ALTER or TRUNCATE them.`)
  }
  if (has('truncate-grant')) notes.push('Jobs that TRUNCATE tables as the app (cleanups, resets) fail: use DELETE, or run them as the owner role.')
  if (has('member-of-owner', 'superuser', 'write-all-data', 'read-all-data') || drafts.some((d) => d.code === 'owns-tables' && !d.needsOwnerRole)) {
    notes.push(`${role} loses the role memberships the script revokes: a job that relied on SET ROLE to one of them needs a login of its own.`)
  }
  return notes
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  return line ? [...lines, line] : lines
}
