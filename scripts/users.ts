// First-time set-up without the UI: `npm run users -- add NAME --role viewer` (password from a prompt or stdin),
// `npm run users -- list`. Uses DBSAFE_DATABASE_URL, else consoleDatabaseUrl from the config file.
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { createUserBodySchema, ROLES } from '~contract/auth'
import { createUser, listUsers, UserExistsError } from '~server/auth/users'
import { loadConfig } from '~server/config/load'
import { migrateConsole } from '~server/database/migrate-console'

const USAGE = `usage: npm run users -- add NAME --role ${ROLES.join('|')}   (password from prompt or stdin)
       npm run users -- list`

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    let data = ''
    for await (const chunk of process.stdin) data += chunk
    return data.split(/\r?\n/)[0]
  }
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true })
  process.stdout.write('Password (not shown): ')
  // Mute the echo so the password never lands in the terminal's scrollback.
  ;(rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => {}
  const password = await new Promise<string>((resolve) => rl.question('', resolve))
  rl.close()
  process.stdout.write('\n')
  return password
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { role: { type: 'string', default: 'viewer' } } })
  const [command, name] = positionals
  if (command !== 'add' && command !== 'list') { console.error(USAGE); return 2 }
  const url = process.env.DBSAFE_DATABASE_URL || loadConfig(process.env.DBSAFE_CONFIG || './dbsafe.config.json').consoleDatabaseUrl
  const pool = new pg.Pool({ connectionString: url, max: 1 })
  try {
    await migrateConsole(pool)
    if (command === 'list') {
      for (const u of await listUsers(pool)) console.log(`${u.username}\t${u.role}`)
      return 0
    }
    const parsed = createUserBodySchema.safeParse({ username: name, password: await readPassword(), role: values.role })
    if (!parsed.success) {
      for (const i of parsed.error.issues) console.error(`${i.path.join('.')}: ${i.message}`)
      return 2
    }
    const user = await createUser(pool, parsed.data.username, parsed.data.password, parsed.data.role)
    console.log(`created ${user.username} (${user.role})`)
    return 0
  } catch (err) {
    console.error(err instanceof UserExistsError ? err.message : `users: ${(err as Error).message}`)
    return 1
  } finally {
    await pool.end()
  }
}

process.exit(await main())
