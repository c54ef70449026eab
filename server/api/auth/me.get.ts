import { defineEventHandler } from 'h3'
import { requireRole } from '~server/http/session'

export default defineEventHandler((event) => requireRole(event, 'viewer'))
