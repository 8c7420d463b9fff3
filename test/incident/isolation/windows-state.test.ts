import {expect} from 'chai'

import {adapterSets, gpoReasons, hasActiveDefaultRoute, parseWindowsState, readAdapters, readProfiles, WINDOWS_STATE_PS} from '../../../src/incident/isolation/windows-state.js'
import {decodeText} from '../../../src/os/decode-text.js'
import {psFixture} from '../../facts/win32/ps-fixtures.js'
import {fixture, fixtureBytes} from '../../helpers/fake-exec.js'

describe('Windows state for the cut (one PowerShell run)', () => {
  it('asks each part on its own, so one failure leaves the rest, with quoted property lists', () => {
    expect(WINDOWS_STATE_PS.match(/\btry \{/g)).to.have.length(6)
    expect(WINDOWS_STATE_PS).to.contain('-PolicyStore ActiveStore').and.to.contain('-PolicyStore RSOP').and.to.contain('PartOfDomain').and.to.contain('Get-NetAdapter')
    expect(WINDOWS_STATE_PS).not.to.match(/Select-Object [A-Z]/)
  })

  it('reads a standalone PC: profiles in force, nothing from Group Policy, five adapters', () => {
    const state = parseWindowsState(psFixture('incident/ps-state-local.json'))
    expect(state.firewall).to.deep.equal({adapters_source: 'powershell', error: null, gpo_managed: false, gpo_reasons: [], part_of_domain: false, source: 'powershell'})
    expect(state.profiles?.every((p) => p.enabled && p.policy === 'BlockInbound,AllowOutbound')).to.equal(true)
    expect(state.adapters?.map((a) => `${a.name}:${a.enabled}:${a.connected}:${a.physical}`)).to.deep.equal([
      '以太网:true:true:true',
      'WLAN:true:false:true',
      '以太网 2:true:true:false',
      'vEthernet (Default Switch):true:true:false',
      '蓝牙网络连接:false:false:true',
    ])
  })

  it('names the adapters that bridge or share the network for VMs or other devices, which the firewall never sees (#11 2.4)', () => {
    // Hyper-V's external switch and VMware's bridge on 以太网, Internet Connection Sharing on WLAN.
    expect(parseWindowsState(psFixture('incident/ps-state-bridged.json')).bridged).to.deep.equal(['以太网', 'WLAN'])
    // A reading from before these parts, or one where both failed, knows nothing about bridging.
    expect(parseWindowsState(psFixture('incident/ps-state-local.json')).bridged).to.equal(null)
    const [local] = psFixture('incident/ps-state-local.json') as Record<string, unknown>[]
    expect(parseWindowsState([{...local, bridging: [], shared: []}]).bridged).to.deep.equal([])
    expect(parseWindowsState([{...local, bridging_error: 'Access denied', shared: 'WLAN'}]).bridged).to.deep.equal(['WLAN'])
  })

  it('names every Group Policy setting that overrides the local store, as numbers or as words', () => {
    expect(parseWindowsState(psFixture('incident/ps-state-gpo.json')).firewall.gpo_reasons).to.deep.equal([
      'Domain: Enabled=True',
      'Domain: DefaultInboundAction=Block',
      'Domain: DefaultOutboundAction=Allow',
      'Domain: AllowLocalFirewallRules=False',
      'Private: AllowLocalFirewallRules=False',
      'Public: AllowLocalFirewallRules=False',
    ])
    expect(gpoReasons([{AllowLocalFirewallRules: 'NotConfigured', DefaultOutboundAction: 'Block', Enabled: 'NotConfigured', Name: 'Public'}])).to.deep.equal(['Public: DefaultOutboundAction=Block'])
    expect(gpoReasons([{AllowLocalFirewallRules: 2, DefaultInboundAction: 0, DefaultOutboundAction: 0, Enabled: 2, Name: 'Public'}])).to.deep.equal([])
  })

  it('never guesses: an unknown value or a failed part is unread, with the reason', () => {
    expect(() => readProfiles([{DefaultInboundAction: 4, DefaultOutboundAction: 2, Enabled: 'Enabled', Name: 'Domain'}])).to.throw(/unknown Enabled value "Enabled"/)
    expect(() => readProfiles([{DefaultInboundAction: 9, DefaultOutboundAction: 2, Enabled: 1, Name: 'Domain'}])).to.throw(/unknown default action/)
    expect(() => readProfiles([])).to.throw(/no profile/)
    // NotConfigured in the active store is Windows' default: on, block in, allow out.
    expect(readProfiles([{DefaultInboundAction: 0, DefaultOutboundAction: 0, Enabled: 2, Name: 'Public'}])).to.deep.equal([{enabled: true, policy: 'BlockInbound,AllowOutbound', profile: 'public'}])
    const failed = parseWindowsState([{adapters_error: 'Get-NetAdapter : 无效的类', bridging_error: '拒绝访问。', part_of_domain: null, profiles_error: '拒绝访问。', rsop_error: '拒绝访问。', shared_error: '拒绝访问。'}])
    expect(failed).to.deep.equal({
      adapters: null,
      bridged: null,
      defaultRoute: null,
      firewall: {adapters_source: null, error: 'Get-NetFirewallProfile: 拒绝访问。', gpo_managed: null, gpo_reasons: ['RSOP: 拒绝访问。'], part_of_domain: null, source: null},
      profiles: null,
    })
  })

  it('reads adapter states as words or numbers, and still disables something on a PC whose adapters all call themselves virtual', () => {
    const adapters = readAdapters([
      {AdminStatus: 1, HardwareInterface: true, MediaConnectionState: 1, Name: '本地连接', Status: null, Virtual: false},
      {AdminStatus: 2, HardwareInterface: true, Name: '无线网络连接', Status: 'Disabled', Virtual: false},
      {HardwareInterface: null, Name: 'Not present', Status: 'Not Present'},
    ])
    expect(adapters.map((a) => `${a.name}:${a.enabled}:${a.connected}:${a.physical}`)).to.deep.equal(['本地连接:true:true:true', '无线网络连接:false:false:true', 'Not present:false:false:null'])
    expect(adapterSets([{connected: true, enabled: true, name: 'Ethernet', physical: false, status: 'Up'}])).to.deep.equal({bounce: ['Ethernet'], disable: ['Ethernet']})
  })

  it('knows whether a default route through a gateway existed, and reads route print in any language', () => {
    expect(parseWindowsState([{default_routes: [{ifIndex: 12, NextHop: '192.168.10.1'}]}]).defaultRoute).to.equal(true)
    // An on-link default (a PPP link) has no gateway to come back; none at all is false, unread is null.
    expect(parseWindowsState([{default_routes: [{ifIndex: 7, NextHop: '0.0.0.0'}]}]).defaultRoute).to.equal(false)
    expect(parseWindowsState([{default_routes: []}]).defaultRoute).to.equal(false)
    expect(parseWindowsState([{}]).defaultRoute).to.equal(null)
    expect(hasActiveDefaultRoute(decodeText(fixtureBytes('win32/incident/route-print-4-default-zh-gbk.txt')))).to.equal(true)
    expect(hasActiveDefaultRoute(fixture('win32/evidence/route-print.txt'))).to.equal(true)
    // Only the persistent (route -p) copy: not in force until the interface has its address again.
    expect(hasActiveDefaultRoute(decodeText(fixtureBytes('win32/incident/route-print-4-no-default-zh-gbk.txt')))).to.equal(false)
    expect(hasActiveDefaultRoute('          0.0.0.0          0.0.0.0            On-link     192.168.10.31     25')).to.equal(false)
    expect(hasActiveDefaultRoute('')).to.equal(false)
  })
})
