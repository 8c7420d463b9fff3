import {expect} from 'chai'

import {decodeText} from '../../../src/os/decode-text.js'
import {adaptersDisabledPlan, allBlocked, parseAllProfiles, parseConnectedAdapters, policyFile, windowsMethods, windowsPlan, windowsRestoreCommands} from '../../../src/incident/isolation/windows-firewall.js'
import {renderPlan} from '../../../src/incident/render-plan.js'
import {renderCommand} from '../../../src/incident/isolation/render-plan.js'
import type {CollectorEndpoint, SavedNetworkState, WindowsFirewallState} from '../../../src/incident/types.js'
import {fixtureBytes} from '../../helpers/fake-exec.js'

const FILE = 'C:\\ProgramData\\nm-guard\\incident\\firewall-before-20261127T080000000Z.wfw'
const saved: SavedNetworkState = {ip6tables_save: null, iptables_save: null, links: [], nft_ruleset: null, platform: 'win32', routes: [], windows_policy_file: FILE}
const keep: CollectorEndpoint = {addresses: ['203.0.113.10', '2001:db8::10'], host: 'collector.example.gov.cn', port: 8443, url: 'https://collector.example.gov.cn:8443'}

describe('Windows firewall isolation plan', () => {
  it('names a fresh export file per incident under the journal folder', () => {
    expect(policyFile('C:\\ProgramData\\nm-guard\\incident', new Date('2026-11-27T08:00:00Z'))).to.equal(FILE)
  })

  it('is exactly: export, firewall on, default block both ways, block rules (full isolation)', () => {
    const plan = windowsPlan(saved, null)
    expect(plan.method).to.equal('windows-firewall')
    expect(plan.commands.map((c) => `${renderCommand(c)}  # ${c.purpose}`)).to.deep.equal([
      'netsh advfirewall export C:\\ProgramData\\nm-guard\\incident\\firewall-before-20261127T080000000Z.wfw  # incident.step.exportPolicy',
      'netsh advfirewall set allprofiles state on  # incident.step.firewallOn',
      'netsh advfirewall set allprofiles firewallpolicy blockinbound,blockoutbound  # incident.step.blockAll',
      'netsh advfirewall firewall add rule "name=nm-guard block in" dir=in action=block profile=any remoteip=any  # incident.step.blockRules',
      'netsh advfirewall firewall add rule "name=nm-guard block out" dir=out action=block profile=any remoteip=any  # incident.step.blockRules',
    ])
    expect(plan.commands[0]?.args).to.deep.equal(['advfirewall', 'export', FILE])
  })

  it('with --keep-collector: only the outbound block spares the collector, one outbound allow rule lets TCP to it through', () => {
    const plan = windowsPlan(saved, keep)
    const lines = plan.commands.map(renderCommand)
    const spared =
      'remoteip=0.0.0.0-203.0.113.9,203.0.113.11-255.255.255.255,' +
      '0:0:0:0:0:0:0:0-2001:db8:0:0:0:0:0:f,2001:db8:0:0:0:0:0:11-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'
    // The inbound block covers every address, the collector's too: the stateful firewall lets the
    // replies of this PC's own connections in, and nothing opened from outside (issue #11, 2.2).
    expect(lines.slice(3)).to.deep.equal([
      'netsh advfirewall firewall add rule "name=nm-guard block in" dir=in action=block profile=any remoteip=any',
      `netsh advfirewall firewall add rule "name=nm-guard block out" dir=out action=block profile=any ${spared}`,
      'netsh advfirewall firewall add rule "name=nm-guard collector" dir=out action=allow profile=any remoteip=203.0.113.10,2001:db8::10 protocol=TCP remoteport=8443',
    ])
    expect(plan.commands.filter((c) => c.args.includes('action=allow')).map((c) => c.args.filter((a) => a.startsWith('dir=')))).to.deep.equal([['dir=out']])
  })

  it('ends open connections last: each connected adapter disabled and enabled again, after the collector rule', () => {
    const lines = windowsPlan({...saved, windows_adapters: ['Ethernet 2', '以太网']}, keep).commands.map((c) => `${renderCommand(c)}  # ${c.purpose}`)
    expect(lines.slice(5, 6)[0]).to.match(/name=nm-guard collector/)
    expect(lines.slice(6)).to.deep.equal([
      'netsh interface set interface "name=Ethernet 2" admin=disabled  # incident.step.adapterDown',
      'netsh interface set interface "name=Ethernet 2" admin=enabled  # incident.step.adapterUp',
      'netsh interface set interface name=以太网 admin=disabled  # incident.step.adapterDown',
      'netsh interface set interface name=以太网 admin=enabled  # incident.step.adapterUp',
    ])
  })

  it('restores by importing the export, then deleting its rules by name', () => {
    expect(windowsRestoreCommands(FILE)).to.deep.equal([
      ['advfirewall', 'import', FILE],
      ['advfirewall', 'firewall', 'delete', 'rule', 'name=nm-guard block in'],
      ['advfirewall', 'firewall', 'delete', 'rule', 'name=nm-guard block out'],
      ['advfirewall', 'firewall', 'delete', 'rule', 'name=nm-guard collector'],
    ])
    expect(windowsRestoreCommands(null)).to.have.length(3)
  })
})

describe('netsh interface show interface parser', () => {
  it('keeps the enabled, connected adapters, names with spaces included (English and Chinese Windows)', () => {
    expect(parseConnectedAdapters(decodeText(fixtureBytes('win32/incident/netsh-interface-show-en.txt')))).to.deep.equal(['Ethernet 2', 'VPN - 藁城'])
    expect(parseConnectedAdapters(decodeText(fixtureBytes('win32/incident/netsh-interface-show-zh-gbk.txt')))).to.deep.equal(['以太网'])
    expect(parseConnectedAdapters('')).to.deep.equal([])
  })
})

describe('netsh advfirewall show allprofiles parser', () => {
  it('reads English Windows', () => {
    const profiles = parseAllProfiles(decodeText(fixtureBytes('win32/incident/netsh-show-allprofiles-en.txt')))
    expect(profiles).to.deep.equal([
      {enabled: true, policy: 'BlockInbound,AllowOutbound', profile: 'domain'},
      {enabled: true, policy: 'BlockInbound,AllowOutbound', profile: 'private'},
      {enabled: false, policy: 'BlockInbound,AllowOutbound', profile: 'public'},
    ])
    expect(allBlocked(profiles)).to.equal(false)
    expect(allBlocked(parseAllProfiles(decodeText(fixtureBytes('win32/incident/netsh-show-allprofiles-isolated-en.txt'))))).to.equal(true)
  })

  it('reads Chinese Windows (GBK console output)', () => {
    const profiles = parseAllProfiles(decodeText(fixtureBytes('win32/incident/netsh-show-allprofiles-zh-gbk.txt')))
    expect(profiles).to.deep.equal([
      {enabled: true, policy: 'BlockInbound,AllowOutbound', profile: 'domain'},
      {enabled: false, policy: 'BlockInbound,AllowOutbound', profile: 'private'},
      {enabled: true, policy: 'BlockInboundAlways,AllowOutbound', profile: 'public'},
    ])
    expect(allBlocked(parseAllProfiles(decodeText(fixtureBytes('win32/incident/netsh-show-allprofiles-isolated-zh-gbk.txt'))))).to.equal(true)
  })

  it('fails clearly on output it cannot read, and never guesses an unknown state word', () => {
    expect(() => parseAllProfiles('The requested operation requires elevation (Run as administrator).\r\n')).to.throw(/no profile found/)
    expect(() => parseAllProfiles('Domain Profile Settings:\n------------------------------\nFirewall Policy BlockInbound,AllowOutbound\n')).to.throw(/domain profile/)
    const unknown = parseAllProfiles('Domain Profile Settings:\n------------------------------\nState  MAYBE\nFirewall Policy BlockInbound,BlockOutbound\n')
    expect(unknown).to.deep.equal([{enabled: null, policy: 'BlockInbound,BlockOutbound', profile: 'domain'}])
    expect(allBlocked(unknown)).to.equal(false)
  })
})

describe('Windows cut method and the adapters-disabled plan', () => {
  const read: WindowsFirewallState = {adapters_source: 'powershell', error: null, gpo_managed: false, gpo_reasons: [], part_of_domain: true, source: 'powershell'}
  const pc: SavedNetworkState = {...saved, windows_adapters: ['以太网', '以太网 2'], windows_disable: ['以太网', 'WLAN']}

  it('firewall first under the local policy (an old journal without a reading too), adapters first when Group Policy controls it or the state is unread', () => {
    expect(windowsMethods({...pc, windows_firewall: read})).to.deep.equal({notes: [], order: ['windows-firewall', 'adapters-disabled']})
    expect(windowsMethods(pc).order[0]).to.equal('windows-firewall')
    const gpo = windowsMethods({...pc, windows_firewall: {...read, gpo_managed: true, gpo_reasons: ['Domain: Enabled=True']}})
    expect(gpo).to.deep.equal({notes: [{key: 'incident.isolation.gpoManaged', params: {reasons: 'Domain: Enabled=True'}}], order: ['adapters-disabled', 'windows-firewall']})
    expect(windowsMethods({...pc, windows_firewall: {...read, gpo_managed: null, gpo_reasons: ['RSOP: 拒绝访问。']}}).notes[0]?.key).to.equal('incident.isolation.gpoUnknown')
    expect(windowsMethods({...pc, windows_firewall: {...read, error: 'PowerShell: timed out', source: null}}).notes).to.deep.equal([{key: 'incident.isolation.stateUnread', params: {error: 'PowerShell: timed out'}}])
  })

  it('switches the adapters off first when one bridges or shares the network: VMs\' frames pass below the firewall (#11 2.4)', () => {
    const bridged = {...pc, windows_bridged: ['以太网', 'WLAN'], windows_firewall: read}
    expect(windowsMethods(bridged)).to.deep.equal({notes: [{key: 'incident.isolation.bridged', params: {adapters: '以太网, WLAN'}}], order: ['adapters-disabled', 'windows-firewall']})
    expect(renderPlan(windowsPlan(bridged, null), 'en').split('\n')).to.deep.equal([
      'Isolation plan (win32, adapters-disabled): nothing is changed by --dry-run',
      "! The adapters 以太网, WLAN bridge or share this PC's network for virtual machines or other devices, whose traffic Windows Firewall does not see: the cut disables the network adapters instead.",
      '1. Disable a network adapter: no firewall policy, Group Policy included, can override that',
      '   $ netsh interface set interface name=以太网 admin=disabled',
      '2. Disable a network adapter: no firewall policy, Group Policy included, can override that',
      '   $ netsh interface set interface name=WLAN admin=disabled',
    ])
  })

  it('disables exactly the journalled physical adapters (an old journal: the connected ones)', () => {
    expect(adaptersDisabledPlan(pc, null).commands.map((c) => `${renderCommand(c)}  # ${c.purpose}`)).to.deep.equal([
      'netsh interface set interface name=以太网 admin=disabled  # incident.step.adapterDisable',
      'netsh interface set interface name=WLAN admin=disabled  # incident.step.adapterDisable',
    ])
    expect(adaptersDisabledPlan({...pc, windows_disable: undefined}, null).commands.map((c) => c.args[3])).to.deep.equal(['name=以太网', 'name=以太网 2'])
  })

  it('--dry-run prints why, then each adapter; with --keep-collector, that it cannot be kept', () => {
    const plan = windowsPlan({...pc, windows_firewall: {...read, gpo_managed: true, gpo_reasons: ['Public: AllowLocalFirewallRules=False']}}, keep)
    expect(renderPlan(plan, 'zh-CN').split('\n')).to.deep.equal([
      '断网方案（win32，adapters-disabled）：--dry-run 不做任何改动',
      '! 本机防火墙由组策略控制（Public: AllowLocalFirewallRules=False），在本机所做的修改可能不起作用：改为禁用网卡来断网。',
      `! 禁用网卡后无法保留与收集服务器的连接（--keep-collector）：已完全断网，收集服务器 ${keep.url} 也无法连通。`,
      '1. 禁用网卡：任何防火墙策略（包括组策略）都无法覆盖这一操作',
      '   $ netsh interface set interface name=以太网 admin=disabled',
      '2. 禁用网卡：任何防火墙策略（包括组策略）都无法覆盖这一操作',
      '   $ netsh interface set interface name=WLAN admin=disabled',
    ])
    const local = renderPlan(windowsPlan({...pc, windows_firewall: read}, null), 'en').split('\n')
    expect(local[0]).to.equal('Isolation plan (win32, windows-firewall): nothing is changed by --dry-run')
    expect(local).to.include('   $ netsh advfirewall set allprofiles firewallpolicy blockinbound,blockoutbound')
    // No adapter to switch off: the run would fall back to the firewall at once, so that is what is printed.
    const none = windowsPlan({...pc, windows_adapters: [], windows_disable: [], windows_firewall: {...read, error: 'PowerShell: stub', source: null}}, null)
    expect(none.method).to.equal('windows-firewall')
    expect(none.notes?.map((n) => n.key)).to.deep.equal(['incident.isolation.stateUnread', 'incident.isolation.noAdapters'])
  })
})
