import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {AuthLimiter, sourceKey} from '../../src/collector/auth-limiter.js'
import {HttpError} from '../../src/collector/http/http-error.js'
import {openStore} from '../../src/collector/store/open-store.js'
import type {CollectorStore} from '../../src/collector/store/types.js'

describe('auth limiter', () => {
  it('counts IPv4 (mapped or not) by address and IPv6 by its /64', () => {
    expect(sourceKey('203.0.113.9')).to.equal('203.0.113.9')
    expect(sourceKey('::ffff:203.0.113.9')).to.equal('203.0.113.9')
    expect(sourceKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).to.equal('2001:db8:1:2::/64')
    expect(sourceKey('2001:0db8:0001:0002::1')).to.equal('2001:db8:1:2::/64')
    expect(sourceKey('2001:db8::1')).to.equal('2001:db8:0:0::/64')
    expect(sourceKey('::1')).to.equal('0:0:0:0::/64')
    expect(sourceKey(undefined)).to.equal('unknown')
  })

  describe('on one SQLite database opened twice (two collectors)', () => {
    let first: CollectorStore
    let second: CollectorStore
    let clock = Date.parse('2026-03-01T10:00:00.000Z')
    const now = (): Date => new Date(clock)
    const limits = {'api-admin': {maxFailures: 3, windowMs: 60_000}, 'dashboard-login': {maxFailures: 5, windowMs: 60_000}, enroll: {maxFailures: 3, windowMs: 60_000}}

    before(async () => {
      const url = `sqlite:${join(mkdtempSync(join(tmpdir(), 'nmg-limits-')), 'collector.db')}`
      first = await openStore(url)
      second = await openStore(url)
    })

    after(async () => {
      await first?.close()
      await second?.close()
    })

    it('shares the count: failures through either collector add up, per scope and source', async () => {
      const a = new AuthLimiter(first, now, limits)
      const b = new AuthLimiter(second, now, limits)
      await a.fail('api-admin', '198.51.100.7')
      await b.fail('api-admin', '198.51.100.7')
      expect(await a.retryAfter('api-admin', '198.51.100.7')).to.equal(0)
      await a.fail('api-admin', '198.51.100.7')
      clock += 15_000
      expect(await b.retryAfter('api-admin', '198.51.100.7')).to.equal(45)
      let refused: unknown
      await b.assertAllowed('api-admin', '198.51.100.7').catch((error: unknown) => (refused = error))
      expect(refused).to.be.instanceOf(HttpError)
      expect([(refused as HttpError).status, (refused as HttpError).headers['retry-after']]).to.deep.equal([429, '45'])
      // Another source, another scope: untouched.
      expect(await b.retryAfter('api-admin', '198.51.100.8')).to.equal(0)
      expect(await b.retryAfter('enroll', '198.51.100.7')).to.equal(0)
      // The window ends: allowed again, and pruning forgets the old window.
      clock += 45_000
      expect(await a.retryAfter('api-admin', '198.51.100.7')).to.equal(0)
      // Pruning keeps a window until a whole window has passed since it ended, then forgets it.
      await a.prune()
      clock -= 30_000
      expect(await a.retryAfter('api-admin', '198.51.100.7')).to.equal(30)
      clock += 90_000
      await a.prune()
      clock -= 90_000
      expect(await a.retryAfter('api-admin', '198.51.100.7')).to.equal(0)
      clock += 90_000
    })

    it('counts 50 concurrent failures as 50', async () => {
      const both = [new AuthLimiter(first, now, limits), new AuthLimiter(second, now, limits)]
      await Promise.all(Array.from({length: 50}, (_, i) => (both[i % 2] as AuthLimiter).fail('enroll', '192.0.2.1')))
      expect(await first.authFailureCount('enroll', '192.0.2.1', new Date(Math.floor(clock / 60_000) * 60_000).toISOString())).to.equal(50)
    })
  })
})
