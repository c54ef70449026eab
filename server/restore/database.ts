import pg from 'pg'
import type { DatabaseFacts } from './catalog'

const q = pg.escapeIdentifier
const lit = (v: unknown) => pg.escapeLiteral(String(v))
// Settings whose stored value is a list of quoted names (guc.h GUC_LIST_QUOTE): each element is its own literal.
const LIST_QUOTE = new Set(['search_path', 'temp_tablespaces', 'session_preload_libraries', 'local_preload_libraries', 'shared_preload_libraries'])

/**
 * The new database as the live one was made: template0 (nothing of template1 collides with the dump), the
 * same encoding, locale (a different collation changes sort order and what unique indexes accept) and tablespace.
 */
export function createDatabaseSql(name: string, live: DatabaseFacts): string {
  const raw = live.raw
  const parts = [`CREATE DATABASE ${q(name)} TEMPLATE template0 ENCODING ${lit(live.encoding)}`, `LC_COLLATE ${lit(raw.datcollate)} LC_CTYPE ${lit(raw.datctype)}`]
  if (raw.datlocprovider === 'i') parts.push(`LOCALE_PROVIDER icu ICU_LOCALE ${lit(raw.daticulocale ?? raw.datlocale)}`)
  if (raw.datlocprovider === 'b') parts.push(`LOCALE_PROVIDER builtin BUILTIN_LOCALE ${lit(raw.datlocale)}`)
  if (raw.daticurules) parts.push(`ICU_RULES ${lit(raw.daticurules)}`)
  if (live.tablespace !== 'pg_default') parts.push(`TABLESPACE ${q(live.tablespace)}`)
  return parts.join(' ')
}

/** `ALTER DATABASE … SET` for each of the live database's own settings, as pg_dumpall writes them. */
export function settingStatements(name: string, live: DatabaseFacts): string[] {
  return live.settings.map((setting) => {
    const at = setting.indexOf('=')
    const key = setting.slice(0, at)
    const value = setting.slice(at + 1)
    const values = LIST_QUOTE.has(key.toLowerCase()) ? splitList(value).map(lit).join(', ') : lit(value)
    return `ALTER DATABASE ${q(name)} SET ${key.split('.').map(q).join('.')} TO ${values}`
  })
}

/**
 * Applies the settings one by one. A restore role may not set every parameter (superuser-only ones,
 * placeholders of unloaded modules): those are reported for an admin to run, never fatal.
 */
export async function copySettings(c: pg.ClientBase, name: string, live: DatabaseFacts): Promise<string[]> {
  const notes: string[] = []
  for (const sql of settingStatements(name, live)) {
    try {
      await c.query(sql)
    } catch (err) {
      notes.push(`database setting not recreated (${(err as Error).message}); as an admin run: ${sql.replace(q(name), q(live.name))}`)
    }
  }
  if (live.roleSettings) {
    notes.push(`${live.roleSettings} role settings inside the database (ALTER ROLE … IN DATABASE … SET) stay with the old database; recreate them as an admin`)
  }
  return notes
}

// Commas outside double quotes separate elements; whitespace outside quotes is dropped, quotes removed and "" undoubled.
function splitList(value: string): string[] {
  const out: string[] = []
  let cur = ''
  let quoted = false
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]
    if (ch === '"' && quoted && value[i + 1] === '"') {
      cur += '"'
      i++
    } else if (ch === '"') {
      quoted = !quoted
    } else if (ch === ',' && !quoted) {
      out.push(cur)
      cur = ''
    } else if (quoted || !/\s/.test(ch)) {
      cur += ch
    }
  }
  out.push(cur)
  return out
}
