import { BlockList, isIP } from 'node:net'
import { getRequestHeader, type H3Event } from 'h3'

// X-Forwarded-* headers are whatever the sender wrote: they are believed only from a configured reverse proxy.

export function isAddressOrCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/')
  const family = isIP(address)
  if (!family || rest.length > 0) return false
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128))
}

/** The `trustedProxies` config entries (already validated by isAddressOrCidr) as a matcher. */
export function proxyList(entries: string[]): BlockList {
  const list = new BlockList()
  for (const entry of entries) {
    const [address, bits] = entry.split('/')
    const type = isIP(address) === 4 ? 'ipv4' : 'ipv6'
    if (bits === undefined) list.addAddress(address, type)
    else list.addSubnet(address, Number(bits), type)
  }
  return list
}

// A dual-stack socket reports IPv4 peers as ::ffff:a.b.c.d; config entries name them as a.b.c.d.
function plain(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '')
}

function trusted(proxies: BlockList, address: string): boolean {
  const family = isIP(address)
  return family !== 0 && proxies.check(address, family === 4 ? 'ipv4' : 'ipv6')
}

function fromTrustedProxy(event: H3Event, proxies: BlockList): boolean {
  return trusted(proxies, plain(event.node.req.socket.remoteAddress ?? ''))
}

/**
 * The client's address: the direct peer, or, when that is a trusted proxy, the nearest X-Forwarded-For hop
 * (read from the right) that is not itself a trusted proxy: hops further left are the client's own claims.
 */
export function clientAddress(event: H3Event, proxies: BlockList): string {
  let address = plain(event.node.req.socket.remoteAddress ?? '')
  const hops = (getRequestHeader(event, 'x-forwarded-for') ?? '').split(',').map((h) => plain(h.trim())).filter(Boolean)
  while (trusted(proxies, address) && hops.length > 0) address = hops.pop()!
  return address || 'unknown'
}

/** h3's options for getRequestURL/getRequestProtocol: forwarded host and protocol only via a trusted proxy. */
export function forwardedHeaders(event: H3Event, proxies: BlockList): { xForwardedHost: boolean, xForwardedProto: boolean } {
  const via = fromTrustedProxy(event, proxies)
  return { xForwardedHost: via, xForwardedProto: via }
}
