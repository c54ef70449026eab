import { extname } from 'node:path'
import type { MigrationDetail } from '~contract/migrations'

export type SourceLanguage = NonNullable<MigrationDetail['language']>

const LANGUAGE: Record<string, SourceLanguage> = {
  '.sql': 'sql', '.ts': 'typescript', '.mts': 'typescript', '.cts': 'typescript', '.js': 'javascript', '.mjs': 'javascript', '.cjs': 'javascript',
}

/** A JavaScript or TypeScript module a migration tool can load; declaration files hold no code. */
export function isMigrationModule(fileName: string): boolean {
  const language = migrationLanguage(fileName)
  return language !== 'sql' && !/\.d\.[cm]?ts$/.test(fileName)
}

/** How a migration file is highlighted and read: by its extension, SQL when unknown. */
export function migrationLanguage(fileName: string): SourceLanguage {
  return LANGUAGE[extname(fileName).toLowerCase()] ?? 'sql'
}
