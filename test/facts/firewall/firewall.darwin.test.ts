import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, parseBlockAll, parseGlobalState, pfRow, socketFilterRow} from '../../../src/facts/firewall/firewall.darwin.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'

const FW = '/usr/libexec/ApplicationFirewall/socketfilterfw'
const PF = '/sbin/pfctl -s info'

describe('firewall on darwin', () => {
  it('reads the Application Firewall state', () => {
    expect(parseGlobalState(fixture('darwin/socketfilterfw-globalstate-enabled.txt'))).to.equal(1)
    expect(parseGlobalState(fixture('darwin/socketfilterfw-globalstate-disabled.txt'))).to.equal(0)
    expect(parseGlobalState(fixture('darwin/socketfilterfw-globalstate-blockall.txt'))).to.equal(2)
  })

  it('reads "block all incoming" in old and new wordings', () => {
    expect(parseBlockAll(fixture('darwin/socketfilterfw-blockall-enabled.txt'))).to.equal(true)
    expect(parseBlockAll(fixture('darwin/socketfilterfw-blockall-disabled.txt'))).to.equal(false)
    expect(parseBlockAll(fixture('darwin/socketfilterfw-blockall-enabled-old.txt'))).to.equal(true)
    expect(parseBlockAll(fixture('darwin/socketfilterfw-blockall-disabled-old.txt'))).to.equal(false)
  })

  it('knows the inbound default only when everything is blocked', () => {
    const on = fixture('darwin/socketfilterfw-globalstate-enabled.txt')
    expect(socketFilterRow(on, fixture('darwin/socketfilterfw-blockall-disabled.txt'))).to.deep.equal({default_inbound: null, default_outbound: 'accept', enabled: true, name: 'socketfilterfw'})
    expect(socketFilterRow(on, fixture('darwin/socketfilterfw-blockall-enabled.txt'))).to.include({default_inbound: 'block'})
    expect(socketFilterRow(fixture('darwin/socketfilterfw-globalstate-blockall.txt'), null)).to.include({default_inbound: 'block', enabled: true})
    expect(socketFilterRow(fixture('darwin/socketfilterfw-globalstate-disabled.txt'), fixture('darwin/socketfilterfw-blockall-enabled.txt'))).to.deep.equal({default_inbound: null, default_outbound: null, enabled: false, name: 'socketfilterfw'})
  })

  it('reads pf status', () => {
    expect(pfRow(fixture('darwin/pfctl-s-info.txt'))).to.deep.equal({default_inbound: null, default_outbound: null, enabled: true, name: 'pf'})
    expect(pfRow('Status: Disabled                              Debug: Urgent\n')).to.include({enabled: false})
    expect(() => pfRow('')).to.throw(FactError)
  })

  it('collects both rows as root', async () => {
    const exec = fakeExec({
      [`${FW} --getblockall`]: fixture('darwin/socketfilterfw-blockall-disabled.txt'),
      [`${FW} --getglobalstate`]: fixture('darwin/socketfilterfw-globalstate-enabled.txt'),
      [PF]: {stderr: fixture('darwin/pfctl-s-info.stderr.txt'), stdout: fixture('darwin/pfctl-s-info.txt')},
    })
    const rows = await collect(testContext('darwin', {exec}))
    expect(rows.map((r) => [r.name, r.enabled])).to.deep.equal([
      ['socketfilterfw', true],
      ['pf', true],
    ])
  })

  it('leaves pf out without root instead of guessing', async () => {
    const exec = fakeExec({
      [`${FW} --getblockall`]: fixture('darwin/socketfilterfw-blockall-disabled.txt'),
      [`${FW} --getglobalstate`]: fixture('darwin/socketfilterfw-globalstate-disabled.txt'),
      [PF]: {code: 1, stderr: fixture('darwin/pfctl-s-info-denied.stderr.txt')},
    })
    const rows = await collect(testContext('darwin', {exec, isAdmin: async () => false}))
    expect(rows).to.deep.equal([{default_inbound: null, default_outbound: null, enabled: false, name: 'socketfilterfw'}])
    expect(exec.calls.some((c) => c[0] === '/sbin/pfctl')).to.equal(false)
  })

  it('names the permission problem when pfctl is refused', async () => {
    const exec = fakeExec({
      [`${FW} --getblockall`]: fixture('darwin/socketfilterfw-blockall-disabled.txt'),
      [`${FW} --getglobalstate`]: fixture('darwin/socketfilterfw-globalstate-enabled.txt'),
      [PF]: {code: 1, stderr: fixture('darwin/pfctl-s-info-denied.stderr.txt')},
    })
    const error = await collect(testContext('darwin', {exec})).catch((e: unknown) => e)
    expect((error as FactError).kind).to.equal('permission')
  })

  it('throws when socketfilterfw is missing', async () => {
    const error = await collect(testContext('darwin', {exec: fakeExec({}), isAdmin: async () => false})).catch((e: unknown) => e)
    expect((error as FactError).kind).to.equal('missing_tool')
  })
})
