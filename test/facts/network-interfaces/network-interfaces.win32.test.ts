import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, parseNetworkInterfaces} from '../../../src/facts/network-interfaces/network-interfaces.win32.js'
import {denied, noPowerShell, psFixture, winContext} from '../win32/ps-fixtures.js'

describe('network_interfaces (win32)', () => {
  it('turns adapters into rows with kind, VPN flag and default route', () => {
    const rows = parseNetworkInterfaces(psFixture('network-adapters.json'))
    expect(rows[0]).to.deep.equal({
      addresses: ['fe80::9d2c:4b1e:77a0:1c3f/64', '10.13.20.57/24'],
      default_route: true,
      description: 'Intel(R) Ethernet Connection (17) I219-LM',
      gateway: '10.13.20.1',
      is_vpn: false,
      kind: 'ethernet',
      mac: 'e8:80:88:1a:2b:3c',
      name: '以太网',
      up: true,
    })
    expect(rows.filter((r) => r.is_vpn).map((r) => r.name)).to.deep.equal(['以太网 3', 'OpenVPN TAP-Windows6', 'wg-office'])
    expect(rows.find((r) => r.name === '手机网络')).to.include({kind: 'cellular', mac: null, up: false})
    expect(rows.filter((r) => r.default_route)).to.have.length(1)
  })

  it('collects through the batch', async () => {
    const ctx = winContext({network_adapters: psFixture('scenario-clean/network-adapters.json')})
    const rows = await collect(ctx)
    expect(rows.find((r) => r.default_route)).to.include({gateway: '10.13.52.1', kind: 'wifi', name: 'WLAN'})
    expect(ctx.scripts()[0]).to.contain("Get-NetRoute -DestinationPrefix '0.0.0.0/0', '::/0'")
  })

  it('fails with a reason when PowerShell is missing or access is denied', async () => {
    expect(((await collect(noPowerShell()).catch((e: unknown) => e)) as FactError).kind).to.equal('missing_tool')
    expect(((await collect(winContext({network_adapters: denied()})).catch((e: unknown) => e)) as FactError).message).to.match(/needs administrator/)
  })
})
