import { defineNitroPlugin } from 'nitropack/runtime'
import { ConfigError } from '../config/load'
import { startConsole } from '../context'

export default defineNitroPlugin(() => {
  const fail = (err: unknown) => {
    // Start-up problems are the operator's to fix: print the reason, not a stack.
    console.error(`dbsafe cannot start: ${err instanceof Error ? err.message : String(err)}`)
    process.exit(1)
  }
  try {
    startConsole().catch(fail)
  } catch (err) {
    if (err instanceof ConfigError) fail(err)
    else throw err
  }
})
