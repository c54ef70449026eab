import { defineEventHandler } from 'h3'
import type { Health } from '~contract/http'
import { VERSION } from '~server/version'

export default defineEventHandler((): Health => ({ status: 'ok', version: VERSION }))
