import { readFileSync } from 'node:fs'
import { parse } from 'dotenv'
import { dotenvAssignments } from './dotenv-syntax'

export interface EnvFile {
  path: string
  exists: boolean
  /** What the app's process.env gets from the file, parsed exactly as dotenv parses it (last duplicate wins). */
  values: Record<string, string>
  /** Every assignment dotenv reads, in file order: duplicates made by `echo … >> .env` show up here, text inside a quoted multiline value does not. */
  assignments: { key: string, line: number, value: string }[]
}

export function readEnvFile(path: string): EnvFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { path, exists: false, values: {}, assignments: [] }
    throw err
  }
  const assignments = dotenvAssignments(text).map(({ key, line, value }) => ({ key, line, value }))
  return { path, exists: true, values: parse(text), assignments }
}
