import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, firewallAction, gpoBoolean, parseFirewall} from '../../../src/facts/firewall/firewall.win32.js'
import {denied, noPowerShell, psFixture, winContext} from '../win32/ps-fixtures.js'

describe('firewall (win32)', () => {
  it('reads one row per profile from the numeric CIM enums', () => {
    expect(parseFirewall(psFixture('firewall.json'))).to.deep.equal([
      {default_inbound: 'block', default_outbound: 'accept', enabled: true, name: 'Domain'},
      {default_inbound: 'block', default_outbound: 'accept', enabled: true, name: 'Private'},
      {default_inbound: 'block', default_outbound: 'accept', enabled: true, name: 'Public'},
    ])
  })

  it('reads the enums as text too, with NotConfigured meaning Windows defaults', () => {
    expect(parseFirewall(psFixture('firewall-public-off.json'))).to.deep.equal([
      {default_inbound: 'block', default_outbound: 'accept', enabled: true, name: 'Domain'},
      {default_inbound: 'block', default_outbound: 'accept', enabled: true, name: 'Private'},
      {default_inbound: 'accept', default_outbound: 'accept', enabled: false, name: 'Public'},
    ])
    expect(gpoBoolean(2)).to.equal(null)
    expect(gpoBoolean(0)).to.equal(false)
    expect(firewallAction(4, 'outbound')).to.equal('block')
    expect(firewallAction('Weird', 'inbound')).to.equal(null)
  })

  it('counts every profile as off when the firewall service is stopped', () => {
    const [fragment] = psFixture('firewall.json') as Array<Record<string, unknown>>
    const rows = parseFirewall([{...fragment, service: {Status: 'Stopped'}}])
    expect(rows.map((r) => r.enabled)).to.deep.equal([false, false, false])
  })

  it('collects the active policy store through the batch', async () => {
    const ctx = winContext({firewall: psFixture('firewall.json')})
    expect(await collect(ctx)).to.have.length(3)
    expect(ctx.scripts()[0]).to.contain('Get-NetFirewallProfile -PolicyStore ActiveStore')
  })

  it('fails with a reason when PowerShell is missing or access is denied', async () => {
    expect(((await collect(noPowerShell()).catch((e: unknown) => e)) as FactError).kind).to.equal('missing_tool')
    expect(((await collect(winContext({firewall: denied()})).catch((e: unknown) => e)) as FactError).message).to.match(/needs administrator/)
  })
})
