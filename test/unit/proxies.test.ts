import type { H3Event } from 'h3'
import { describe, expect, it } from 'vitest'
import { configSchema } from '~server/config/schema'
import { clientAddress, forwardedHeaders, isAddressOrCidr, proxyList } from '~server/http/proxies'

// Only what the handlers read: the peer's address and the request headers.
const event = (peer: string, headers: Record<string, string> = {}) =>
  ({ node: { req: { socket: { remoteAddress: peer }, headers } } }) as unknown as H3Event

describe('trusted proxies', () => {
  const proxies = proxyList(['10.0.0.0/8', '192.0.2.7', 'fd00::/8'])

  it('accepts IPs and CIDRs in the config, nothing else', () => {
    for (const ok of ['10.0.0.1', '10.0.0.0/8', '::1', 'fd00::/8', '0.0.0.0/0']) expect(isAddressOrCidr(ok), ok).toBe(true)
    for (const bad of ['localhost', '10.0.0.0/33', '::/129', '10.0.0.0/8/1', '10.0.0.0/', '10.0.0.0/x', '']) expect(isAddressOrCidr(bad), bad).toBe(false)
    const target = { id: 'p', label: 'P', envFile: 'e', migrationsDir: 'm', backupsDir: 'b' }
    expect(configSchema.parse({ targets: [target] }).trustedProxies).toEqual([])
    expect(configSchema.safeParse({ trustedProxies: ['nginx'], targets: [target] }).success).toBe(false)
  })

  it('ignores forwarding headers from a peer that is not a trusted proxy', () => {
    const spoofed = event('203.0.113.9', { 'x-forwarded-for': '198.51.100.1', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil' })
    expect(clientAddress(spoofed, proxies)).toBe('203.0.113.9')
    expect(forwardedHeaders(spoofed, proxies)).toEqual({ xForwardedHost: false, xForwardedProto: false })
    expect(clientAddress(event('203.0.113.9'), proxyList([]))).toBe('203.0.113.9')
  })

  it('takes the nearest untrusted hop from the right behind trusted proxies, never the client-written left part', () => {
    expect(clientAddress(event('10.1.2.3', { 'x-forwarded-for': '198.51.100.1' }), proxies)).toBe('198.51.100.1')
    expect(clientAddress(event('10.1.2.3', { 'x-forwarded-for': 'forged, 198.51.100.1, 192.0.2.7' }), proxies)).toBe('198.51.100.1')
    expect(clientAddress(event('::ffff:10.1.2.3', { 'x-forwarded-for': '198.51.100.1' }), proxies)).toBe('198.51.100.1')
    expect(clientAddress(event('fd00::5', { 'x-forwarded-for': '2001:db8::1' }), proxies)).toBe('2001:db8::1')
    expect(clientAddress(event('10.1.2.3'), proxies)).toBe('10.1.2.3')
    expect(forwardedHeaders(event('10.1.2.3'), proxies)).toEqual({ xForwardedHost: true, xForwardedProto: true })
  })
})
