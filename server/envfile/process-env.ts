import type { Warning } from '~contract/http'

/** One place a process manager sets a variable, listed in the order the manager applies them. */
export interface ProcessEnvSetting {
  /** null: code dbsafe does not run (a spread, a computed key) that may set any variable. */
  key: string | null
  file: string
  line: number
  /** The string the process gets; null when it comes from code dbsafe does not run. */
  value: string | null
  /** Where in the manager's config it sits: `env_production`, `Environment=`, … */
  block: string
  /** Why this setting never reaches the process: a later reset, another --env block, an invalid name. */
  ignored?: string
  note?: string
}

/** What a process manager puts in process.env before the app's dotenv runs. */
export interface ProcessEnv {
  kind: 'pm2' | 'systemd'
  settings: ProcessEnvSetting[]
  warnings: Warning[]
}
