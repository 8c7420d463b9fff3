// netsh's firewall and interface tables as real zh-CN Windows printed them (test/fixtures/win32/
// samples, third-party captures), then the rest of the family by hand: Windows 7's 打开/关闭,
// English ON/OFF, unknown words, Chinese adapter names, varying widths, GBK and UTF-16LE bytes.
import {expect} from 'chai'

import {gbkEncode} from '../../../src/facts/plaintext-secrets/content-match.js'
import {allBlocked, firewallStateWord, parseAllProfiles, parseConnectedAdapters, parseInterfaceTable} from '../../../src/incident/isolation/windows-firewall.js'
import {decodeText} from '../../../src/os/decode-text.js'
import {fixtureBytes} from '../../helpers/fake-exec.js'

const sample = (name: string): Buffer => fixtureBytes(`win32/samples/${name}`)
const utf16le = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
/** Every byte form a console may hand over for the same text. */
const encodings = (text: string): Buffer[] => [Buffer.from(text, 'utf8'), gbkEncode(text) as Buffer, utf16le(text)]

describe('netsh advfirewall on recorded third-party output', () => {
  it('reads zh-CN `show currentprofile` (公用配置文件, 状态 启用), in every encoding', () => {
    const text = decodeText(sample('netsh-advfirewall/zh-currentprofile-public-qianxin-sliver.txt'))
    for (const bytes of encodings(text)) {
      expect(parseAllProfiles(decodeText(bytes))).to.deep.equal([{enabled: true, policy: 'BlockInbound,AllowOutbound', profile: 'public'}])
    }
  })
})

describe('netsh advfirewall on the rest of the family', () => {
  /** `show allprofiles` as netsh lays it out, with the given header and state words. */
  const allProfiles = (headers: [string, string, string], stateLabel: string, policyLabel: string, states: [string, string, string], policies = ['BlockInbound,AllowOutbound', 'BlockInbound,AllowOutbound', 'BlockInbound,AllowOutbound']): string =>
    headers
      .map((header, i) => `${header}\r\n${'-'.repeat(70)}\r\n${stateLabel.padEnd(38)}${states[i]}\r\n${policyLabel.padEnd(38)}${policies[i]}\r\nRemoteManagement                      Disable\r\n\r\n`)
      .join('')
      .concat('Ok.\r\n')
  const ZH: [string, string, string] = ['域配置文件 设置:', '专用配置文件 设置:', '公用配置文件 设置:']
  const EN: [string, string, string] = ['Domain Profile Settings:', 'Private Profile Settings:', 'Public Profile Settings:']

  it('reads Windows 7 zh-CN, which says 打开/关闭 where later versions say 启用/禁用', () => {
    expect(parseAllProfiles(allProfiles(ZH, '状态', '防火墙策略', ['打开', '关闭', '打开'])).map((p) => p.enabled)).to.deep.equal([true, false, true])
    expect(parseAllProfiles(allProfiles(ZH, '状态', '防火墙策略', ['启用', '禁用', '关闭'])).map((p) => p.enabled)).to.deep.equal([true, false, false])
  })

  it('reads English ON/OFF in either case, and each profile by its header', () => {
    expect(parseAllProfiles(allProfiles(EN, 'State', 'Firewall Policy', ['ON', 'off', 'OFF']))).to.deep.equal([
      {enabled: true, policy: 'BlockInbound,AllowOutbound', profile: 'domain'},
      {enabled: false, policy: 'BlockInbound,AllowOutbound', profile: 'private'},
      {enabled: false, policy: 'BlockInbound,AllowOutbound', profile: 'public'},
    ])
  })

  it('reads an isolated PC as all blocked whatever the words, from GBK and UTF-16LE bytes too', () => {
    const blocked = ['BlockInbound,BlockOutbound', 'BlockInboundAlways,BlockOutbound', 'BlockInbound,BlockOutbound']
    for (const states of [['打开', '打开', '打开'], ['启用', '启用', '启用']] as Array<[string, string, string]>) {
      for (const bytes of encodings(allProfiles(ZH, '状态', '防火墙策略', states, blocked))) expect(allBlocked(parseAllProfiles(decodeText(bytes)))).to.equal(true)
    }
    expect(allBlocked(parseAllProfiles(allProfiles(ZH, '状态', '防火墙策略', ['打开', '关闭', '打开'], blocked)))).to.equal(false)
  })

  it('never reads an unknown state word as on or off: null, and never "all blocked"', () => {
    const profiles = parseAllProfiles(allProfiles(EN, 'State', 'Firewall Policy', ['ON', 'Activé', 'ON'], ['BlockInbound,BlockOutbound', 'BlockInbound,BlockOutbound', 'BlockInbound,BlockOutbound']))
    expect(profiles.map((p) => p.enabled)).to.deep.equal([true, null, true])
    expect(allBlocked(profiles)).to.equal(false)
    expect(firewallStateWord('开')).to.equal(null)
    expect(firewallStateWord('')).to.equal(null)
    expect(firewallStateWord(' 打开 ')).to.equal(true)
  })
})

describe('netsh interface show interface on recorded third-party output', () => {
  const cases: Array<[string, string[]]> = [
    ['interface-show-zh-ethernet2-3-wlan', ['以太网 2', '以太网 3']],
    ['interface-show-zh-ethernet3', ['以太网']],
    ['interface-show-zh-vmware-wlan-ChangeWindowsIPInBatch', ['VMware Network Adapter VMnet1', 'VMware Network Adapter VMnet8', '本地连接* 10', 'WLAN']],
  ]
  for (const [name, connected] of cases) {
    it(`${name}: the enabled, connected adapters, from UTF-8 and from the GBK copy`, () => {
      const gbk = sample(`netsh-interface/${name}.gbk.bin`)
      expect(() => new TextDecoder('utf-8', {fatal: true}).decode(gbk)).to.throw() // really GBK
      for (const bytes of [sample(`netsh-interface/${name}.txt`), gbk]) expect(parseConnectedAdapters(decodeText(bytes))).to.deep.equal(connected)
    })
  }

  it('keeps every row with its words: disconnected ones, the type, names with spaces', () => {
    expect(parseInterfaceTable(decodeText(sample('netsh-interface/interface-show-zh-ethernet2-3-wlan.gbk.bin')))).to.deep.equal([
      {admin: 'enabled', name: '以太网 2', state: 'connected', type: '专用'},
      {admin: 'enabled', name: '以太网 3', state: 'connected', type: '专用'},
      {admin: 'enabled', name: 'WLAN', state: 'disconnected', type: '专用'},
    ])
  })
})

describe('netsh interface show interface on the rest of the family', () => {
  /** Rows at netsh's character columns (0, 15, 30, 47) under a translated header. */
  const table = (header: string, rows: Array<[string, string, string, string]>): string =>
    [header, '-'.repeat(73), ...rows.map(([a, s, t, n]) => `${a.padEnd(15)}${s.padEnd(15)}${t.padEnd(17)}${n}`)].join('\r\n').concat('\r\n\r\n')

  it('reads Chinese adapter names and disabled adapters, in every encoding', () => {
    const text = table('管理员状态     状态           类型             接口名称', [
      ['已启用', '已连接', '专用', '政务外网 专线'],
      ['已禁用', '已断开连接', '专用', '无线网络连接'],
      ['已启用', '已断开连接', '专用', '蓝牙网络连接 2'],
      ['已启用', '已连接', '专用', 'VPN - 藁城'],
    ])
    for (const bytes of encodings(text)) {
      expect(parseInterfaceTable(decodeText(bytes)).map((r) => [r.admin, r.state, r.name])).to.deep.equal([
        ['enabled', 'connected', '政务外网 专线'],
        ['disabled', 'disconnected', '无线网络连接'],
        ['enabled', 'disconnected', '蓝牙网络连接 2'],
        ['enabled', 'connected', 'VPN - 藁城'],
      ])
      expect(parseConnectedAdapters(decodeText(bytes))).to.deep.equal(['政务外网 专线', 'VPN - 藁城'])
    }
  })

  it('reads English Windows, and the columns whatever their widths (padding lost in a copy, LF only)', () => {
    const english = table('Admin State    State          Type             Interface Name', [
      ['Enabled', 'Connected', 'Dedicated', 'Ethernet 2'],
      ['Disabled', 'Disconnected', 'Dedicated', 'Wi-Fi'],
      ['Enabled', 'Disconnected', 'Loopback', 'Loopback Pseudo-Interface 1'],
    ])
    expect(parseConnectedAdapters(english)).to.deep.equal(['Ethernet 2'])
    expect(parseInterfaceTable(english)[2]).to.deep.equal({admin: 'enabled', name: 'Loopback Pseudo-Interface 1', state: 'disconnected', type: 'Loopback'})
    const squeezed = '管理员状态 状态 类型 接口名称\n---------------------------\n已启用 已连接 专用 以太网  2\n已启用 已连接 专用 本地连接* 10\n'
    expect(parseConnectedAdapters(squeezed)).to.deep.equal(['以太网  2', '本地连接* 10'])
  })

  it("in netsh's own layout, cuts at its columns: a type of more words stays out of the name", () => {
    const text = table('管理员状态     状态           类型             接口名称', [
      ['已启用', '已连接', 'Point to Point', '拨号连接  2'],
      ['已启用', '已连接', '专用', 'Ethernet Adapter With A Long Name For Column Tests'],
    ])
    expect(parseInterfaceTable(text).map((r) => [r.type, r.name])).to.deep.equal([
      ['Point to Point', '拨号连接  2'],
      ['专用', 'Ethernet Adapter With A Long Name For Column Tests'],
    ])
  })

  it('without the dashed rule, reads only rows whose words it knows (not the header)', () => {
    expect(parseInterfaceTable('Admin State    State          Type             Interface Name\n已启用            已连接            专用               以太网\n')).to.deep.equal([
      {admin: 'enabled', name: '以太网', state: 'connected', type: '专用'},
    ])
  })

  it('an unknown word is null and never counts as connected', () => {
    const text = table('Admin State    State          Type             Interface Name', [['Activé', 'Connecté', 'Dédié', 'Ethernet']])
    expect(parseInterfaceTable(text)).to.deep.equal([{admin: null, name: 'Ethernet', state: null, type: 'Dédié'}])
    expect(parseConnectedAdapters(text)).to.deep.equal([])
    expect(parseConnectedAdapters('')).to.deep.equal([])
  })
})
