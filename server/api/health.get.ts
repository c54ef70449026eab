import { defineEventHandler } from 'h3'
import type { Health } from '../../contract/http'
import pkg from '../../package.json'

export default defineEventHandler((): Health => ({ status: 'ok', version: pkg.version }))
