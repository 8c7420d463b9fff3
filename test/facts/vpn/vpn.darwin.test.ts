import {expect} from 'chai'

import {parseRouteGetDefault} from '../../../src/facts/darwin/network.js'
import {parsePs} from '../../../src/facts/darwin/processes.js'
import {FactError} from '../../../src/os/fact-error.js'
import {collect, connectionRows, interfaceRows, parseNcList, processRows} from '../../../src/facts/vpn/vpn.darwin.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'

const NC = '/usr/sbin/scutil --nc list'

describe('vpn on darwin', () => {
  it('parses scutil --nc list with Chinese names and Network Extension VPNs', () => {
    expect(parseNcList(fixture('darwin/scutil-nc-list.txt'))).to.deep.equal([
      {enabled: true, id: '2C7E5F3A-1B2C-4D5E-8F90-1234567890AB', name: '区政务外网VPN', state: 'Disconnected', type: 'PPP --> L2TP'},
      {enabled: true, id: '9B0D43E1-6A2F-4C58-B7E3-5D1A0F8C2E47', name: 'aTrust', state: 'Connected', type: 'VPN (com.sangfor.atrust.mac.vpn)'},
      {enabled: false, id: 'F1A20C6B-3E9D-4B7A-8C52-07D4E1B9A3F6', name: 'Office IKE', state: 'Disconnected', type: 'IPSec'},
    ])
    expect(parseNcList(fixture('darwin/scutil-nc-list-empty.txt'))).to.deep.equal([])
  })

  it('turns services into connection rows', () => {
    const rows = connectionRows(parseNcList(fixture('darwin/scutil-nc-list.txt')))
    expect(rows[0]).to.deep.equal({active: false, detail: 'PPP --> L2TP Disconnected', evidence: 'connection', name: '区政务外网VPN'})
    expect(rows[1]).to.include({active: true, name: 'aTrust'})
    expect(rows[2]?.detail).to.equal('IPSec Disconnected (disabled)')
  })

  it('reports only tunnels that carry traffic', () => {
    const rows = interfaceRows(fixture('darwin/ifconfig.txt'), parseRouteGetDefault(fixture('darwin/route-get-default.txt')))
    expect(rows).to.deep.equal([{active: true, detail: 'utun4 up 10.10.128.7/24', evidence: 'interface', name: 'utun4'}])
  })

  it('finds VPN clients by process, one row per product', () => {
    const rows = processRows(parsePs(fixture('darwin/ps-axo.txt')))
    expect(rows).to.deep.equal([
      {active: null, detail: 'aTrustAgent (pid 910), aTrustTray (pid 911)', evidence: 'process', name: '深信服 aTrust'},
      {active: null, detail: 'ClashX Pro (pid 1204)', evidence: 'process', name: 'ClashX / Clash Verge'},
    ])
  })

  it('collects all three kinds of evidence', async () => {
    const exec = fakeExec({
      [NC]: fixture('darwin/scutil-nc-list.txt'),
      '/bin/ps -axo pid=,user=,comm=': fixture('darwin/ps-axo.txt'),
      '/sbin/ifconfig': fixture('darwin/ifconfig.txt'),
      '/sbin/route -n get default': fixture('darwin/route-get-default.txt'),
    })
    const rows = await collect(testContext('darwin', {exec}))
    expect(rows.map((r) => `${r.evidence}:${r.name}`)).to.deep.equal([
      'connection:区政务外网VPN',
      'connection:aTrust',
      'connection:Office IKE',
      'interface:utun4',
      'process:深信服 aTrust',
      'process:ClashX / Clash Verge',
    ])
  })

  it('returns no rows on a Mac without any VPN', async () => {
    const exec = fakeExec({
      [NC]: fixture('darwin/scutil-nc-list-empty.txt'),
      '/bin/ps -axo pid=,user=,comm=': '    1 root             /sbin/launchd\n',
      '/sbin/ifconfig': fixture('darwin/ifconfig.txt').replace(/utun4:[\s\S]*$/, ''),
      '/sbin/route -n get default': fixture('darwin/route-get-default.txt'),
    })
    expect(await collect(testContext('darwin', {exec}))).to.deep.equal([])
  })

  it('throws when scutil is missing', async () => {
    const exec = fakeExec({'/bin/ps -axo pid=,user=,comm=': '', '/sbin/ifconfig': '', '/sbin/route -n get default': ''})
    const error = await collect(testContext('darwin', {exec})).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(FactError)
    expect((error as FactError).message).to.match(/scutil not found/)
  })
})
