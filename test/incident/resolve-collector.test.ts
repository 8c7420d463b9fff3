import {expect} from 'chai'

import {UserError} from '../../src/cli/user-error.js'
import {resolveCollector} from '../../src/incident/resolve-collector.js'

const fails = async (promise: Promise<unknown>): Promise<UserError> => {
  const error = await promise.then(() => null, (e: unknown) => e)
  expect(error).to.be.instanceOf(UserError)
  return error as UserError
}

describe('resolveCollector', () => {
  it('resolves every address, with the scheme’s port or the explicit one', async () => {
    const lookup = async (host: string) => (host === 'collector.example.gov.cn' ? ['203.0.113.10', '2001:db8::10', '203.0.113.10'] : [])
    expect(await resolveCollector('https://collector.example.gov.cn/', {lookup})).to.deep.equal({
      addresses: ['203.0.113.10', '2001:db8::10'],
      host: 'collector.example.gov.cn',
      port: 443,
      url: 'https://collector.example.gov.cn/',
    })
    expect((await resolveCollector('https://collector.example.gov.cn:8443', {lookup})).port).to.equal(8443)
    expect((await resolveCollector('http://collector.example.gov.cn', {lookup})).port).to.equal(80)
  })

  it('takes IP literals as they are (IPv6 without brackets)', async () => {
    const lookup = async () => {
      throw new Error('must not be asked')
    }
    expect((await resolveCollector('https://[2001:db8::10]:9443', {lookup})).addresses).to.deep.equal(['2001:db8::10'])
    expect((await resolveCollector('https://203.0.113.10', {lookup})).addresses).to.deep.equal(['203.0.113.10'])
  })

  it('resolves a real name through the system resolver', async () => {
    const endpoint = await resolveCollector('https://localhost:8443')
    expect(endpoint.addresses.length).to.be.greaterThan(0)
    for (const a of endpoint.addresses) expect(['127.0.0.1', '::1']).to.include(a)
  })

  it('fails clearly on a bad URL, an unknown host, no answer, or no address', async () => {
    expect((await fails(resolveCollector('collector.example.gov.cn'))).key).to.equal('incident.collectorBadUrl')
    expect((await fails(resolveCollector('ftp://collector.example.gov.cn'))).key).to.equal('incident.collectorBadUrl')
    const notFound = await fails(resolveCollector('https://nope.invalid', {lookup: async () => Promise.reject(new Error('getaddrinfo ENOTFOUND nope.invalid'))}))
    expect(notFound.key).to.equal('incident.collectorUnresolved')
    expect(notFound.params).to.deep.equal({error: 'getaddrinfo ENOTFOUND nope.invalid', host: 'nope.invalid'})
    const slow = await fails(resolveCollector('https://slow.example', {lookup: () => new Promise(() => {}), timeoutMs: 50}))
    expect(slow.params.error).to.equal('no answer within 50 ms')
    expect((await fails(resolveCollector('https://empty.example', {lookup: async () => []}))).params.error).to.equal('no address')
  })
})
