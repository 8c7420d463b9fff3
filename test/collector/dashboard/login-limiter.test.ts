import {expect} from 'chai'

import {LoginLimiter} from '../../../src/collector/dashboard/login-limiter.js'

describe('dashboard login limiter', () => {
  it('allows five failures a minute per address, then waits for the oldest to leave the window', () => {
    const limiter = new LoginLimiter()
    for (let i = 0; i < 5; i++) {
      expect(limiter.retryAfter('10.0.0.1', i * 1000)).to.equal(0)
      limiter.fail('10.0.0.1', i * 1000)
    }
    expect(limiter.retryAfter('10.0.0.1', 5000)).to.equal(55)
    // Another address is not affected.
    expect(limiter.retryAfter('10.0.0.2', 5000)).to.equal(0)
    // The first failure (t=0) leaves the window at t=60 s: one more try, then the next wait.
    expect(limiter.retryAfter('10.0.0.1', 59_999)).to.equal(1)
    expect(limiter.retryAfter('10.0.0.1', 60_000)).to.equal(0)
    limiter.fail('10.0.0.1', 60_000)
    expect(limiter.retryAfter('10.0.0.1', 60_000)).to.equal(1)
    expect(limiter.retryAfter('10.0.0.1', 61_000)).to.equal(0)
  })

  it('forgets an address on success', () => {
    const limiter = new LoginLimiter({maxFailures: 2})
    limiter.fail('a', 0)
    limiter.fail('a', 0)
    expect(limiter.retryAfter('a', 0)).to.equal(60)
    limiter.succeed('a')
    expect(limiter.retryAfter('a', 0)).to.equal(0)
  })

  it('tracks a bounded number of addresses, dropping the stalest', () => {
    const limiter = new LoginLimiter({maxAddresses: 3, maxFailures: 1})
    for (const address of ['a', 'b', 'c', 'd']) limiter.fail(address, 0)
    expect(['a', 'b', 'c', 'd'].map((address) => limiter.retryAfter(address, 0))).to.deep.equal([0, 60, 60, 60])
  })
})
