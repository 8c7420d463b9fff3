import {expect} from 'chai'

import {randomToken, sameToken, SessionStore} from '../../../src/collector/dashboard/session-store.js'

describe('dashboard sessions and CSRF tokens', () => {
  it('makes unguessable, distinct ids and CSRF tokens', () => {
    const store = new SessionStore()
    const a = store.create()
    const b = store.create()
    expect(a.id).to.match(/^[\w-]{43}$/)
    expect(new Set([a.id, a.csrf, b.id, b.csrf]).size).to.equal(4)
    expect(randomToken()).to.not.equal(randomToken())
  })

  it('finds a live session, forgets it at expiry and on destroy', () => {
    let clock = 1_000
    const store = new SessionStore(() => clock, 500)
    const s = store.create()
    expect(store.get(s.id)).to.equal(s)
    expect(store.get('nope')).to.equal(null)
    expect(store.get(undefined)).to.equal(null)
    clock = 1_499
    expect(store.get(s.id)).to.equal(s)
    clock = 1_500
    expect(store.get(s.id)).to.equal(null)
    const t = store.create()
    store.destroy(t.id)
    expect(store.get(t.id)).to.equal(null)
    expect(store.size).to.equal(0)
  })

  it('compares CSRF tokens exactly and refuses missing ones', () => {
    const token = randomToken()
    expect(sameToken(token, `${token}`)).to.equal(true)
    expect(sameToken(token, token.slice(0, -1))).to.equal(false)
    expect(sameToken(token, randomToken())).to.equal(false)
    expect(sameToken(undefined, token)).to.equal(false)
    expect(sameToken('', '')).to.equal(false)
  })
})
