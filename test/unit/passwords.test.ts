import { describe, expect, it } from 'vitest'
import { hashPassword, verifyPassword } from '~server/auth/passwords'

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('correct horse battery')
    expect(await verifyPassword('correct horse battery', hash)).toBe(true)
    expect(await verifyPassword('correct horse batter', hash)).toBe(false)
  })
  it('salts: the same password hashes differently each time and never appears in the hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same-password'), hashPassword('same-password')])
    expect(a).not.toBe(b)
    expect(a).not.toContain('same-password')
  })
  it('rejects a malformed stored hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'md5$abc')).toBe(false)
  })
})
