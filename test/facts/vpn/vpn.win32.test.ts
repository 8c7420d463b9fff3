import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, parseVpn} from '../../../src/facts/vpn/vpn.win32.js'
import {parseAdapters} from '../../../src/facts/win32/net-adapters.js'
import {parseProcessList} from '../../../src/facts/win32/process-list.js'
import {denied, noPowerShell, psFixture, winContext} from '../win32/ps-fixtures.js'

describe('vpn (win32)', () => {
  const adapters = parseAdapters(psFixture('network-adapters.json'))

  it('reports tunnel adapters, client processes, services and Windows VPN connections', () => {
    const processes = parseProcessList([{Id: 5120, Name: 'ECAgent', Path: 'C:\\Program Files (x86)\\Sangfor\\SSL\\ECAgent\\ECAgent.exe'}, {Id: 5188, Name: 'EasyConnect'}, {Id: 8800, Name: 'iNode Client'}])
    expect(parseVpn(psFixture('vpn.json'), adapters, processes)).to.deep.equal([
      {active: false, detail: 'Sangfor SSL VPN CS Support System VNIC down', evidence: 'interface', name: '以太网 3'},
      {active: true, detail: 'TAP-Windows Adapter V9 up 10.8.0.6/24', evidence: 'interface', name: 'OpenVPN TAP-Windows6'},
      {active: true, detail: 'WireGuard Tunnel up 10.66.0.2/32', evidence: 'interface', name: 'wg-office'},
      {active: null, detail: 'ECAgent.exe (pid 5120), EasyConnect.exe (pid 5188)', evidence: 'process', name: '深信服 EasyConnect'},
      {active: null, detail: 'iNode Client.exe (pid 8800)', evidence: 'process', name: 'H3C iNode'},
      {active: null, detail: 'service SangforSP Running (Sangfor SSL VPN Security Protection)', evidence: 'service', name: '深信服 EasyConnect'},
      {active: null, detail: 'service SangforVnic Stopped', evidence: 'service', name: '深信服 EasyConnect'},
      {active: true, detail: 'service WireGuardTunnel$wg-office Running (WireGuard Tunnel: wg-office)', evidence: 'service', name: 'WireGuard wg-office'},
      {active: false, detail: 'vpn.gc.example.gov.cn (L2tp) Disconnected', evidence: 'connection', name: '区政务外网VPN'},
      {active: true, detail: '203.0.113.10 (Sstp) Connected', evidence: 'connection', name: 'Office SSTP'},
    ])
  })

  it('has nothing to report on a machine without VPN', () => {
    const plain = parseAdapters(psFixture('scenario-clean/network-adapters.json'))
    expect(parseVpn(psFixture('scenario-clean/vpn.json'), plain, parseProcessList(psFixture('scenario-clean/processes.json')))).to.deep.equal([])
  })

  it('collects services, adapters and processes in one batch, asking for the known service names', async () => {
    const ctx = winContext({network_adapters: psFixture('network-adapters.json'), processes: psFixture('processes.json'), vpn: psFixture('vpn.json')})
    const rows = await collect(ctx)
    expect(rows.filter((r) => r.evidence === 'interface')).to.have.length(3)
    expect(ctx.scripts()).to.have.length(1)
    expect(ctx.scripts()[0]).to.contain("Get-Service -Name 'SangforVnic', 'SangforSP', 'aTrustService'")
    expect(ctx.scripts()[0]).to.contain("'WireGuardTunnel$*'")
  })

  it('fails with a reason when PowerShell is missing or access is denied', async () => {
    expect(((await collect(noPowerShell()).catch((e: unknown) => e)) as FactError).kind).to.equal('missing_tool')
    const error = (await collect(winContext({network_adapters: psFixture('network-adapters.json'), processes: [], vpn: denied()})).catch((e: unknown) => e)) as FactError
    expect(error.message).to.match(/needs administrator/)
  })
})
