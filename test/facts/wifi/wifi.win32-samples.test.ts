// `netsh wlan show interfaces` as real zh-CN Windows printed it (test/fixtures/win32/samples, third
// party captures), then the rest of the family by hand: English, open, WEP, WPA3, enterprise and
// Enhanced Open networks, lost indents and CRLF, GBK and UTF-16LE bytes.
import {expect} from 'chai'

import {gbkEncode} from '../../../src/facts/plaintext-secrets/content-match.js'
import {normaliseSecurity, parseNetshInterfaces, parseWifiFragment} from '../../../src/facts/wifi/wifi.win32.js'
import {decodeText} from '../../../src/os/decode-text.js'
import {FactError} from '../../../src/os/fact-error.js'
import {fixtureBytes} from '../../helpers/fake-exec.js'

const sample = (name: string): string => decodeText(fixtureBytes(`win32/samples/netsh-wlan/${name}`))
const utf16le = (text: string, bom: boolean): Buffer => Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(text, 'utf16le')])
const fragmentOf = (bytes: Buffer): unknown[] => [{base64: bytes.toString('base64'), exitCode: 0}]

const AX211 = [{bssid: '58:41:20:c4:d3:dc', connected: true, interface: 'WLAN', security: 'wpa2', ssid: 'TP-LINK_5G_D3DA'}]

describe('wifi (win32) on recorded third-party netsh output', () => {
  it('reads a Windows 10 enterprise network (WPA2 - 企业)', () => {
    expect(parseNetshInterfaces(sample('win10-zh-intel-ac3165-wpa2-enterprise.txt'))).to.deep.equal([
      {bssid: 'cc:46:d6:ad:71:4f', connected: true, interface: 'WLAN', security: 'wpa2-enterprise', ssid: 'DC_WLAN(5GHz)'},
    ])
  })

  it('reads the Windows 11 layout (说明, 界面类型, AP BSSID), as UTF-8 and as the GBK console prints it', () => {
    expect(parseNetshInterfaces(sample('win11-zh-intel-ax211-connected.txt'))).to.deep.equal(AX211)
    const gbk = fixtureBytes('win32/samples/netsh-wlan/win11-zh-intel-ax211-connected.gbk.bin')
    expect(gbk.includes(Buffer.from('说明', 'utf8'))).to.equal(false) // really GBK, not UTF-8
    expect(parseNetshInterfaces(decodeText(gbk))).to.deep.equal(AX211)
    expect(parseWifiFragment(fragmentOf(gbk))).to.deep.equal(AX211)
  })

  it('gives no rows for a disconnected radio (未连接 on Windows 11, 已断开连接 earlier)', () => {
    expect(parseNetshInterfaces(sample('win11-zh-intel-ax211-disconnected.txt'))).to.deep.equal([])
  })

  it('keeps only the connected capture of two (older layout, 描述/信道)', () => {
    expect(parseNetshInterfaces(sample('zh-atheros-ar9485-two-captures-from-ruby-comment.txt'))).to.deep.equal([
      {bssid: 'a8:80:38:20:68:86', connected: true, interface: 'wireless', security: 'wpa2', ssid: 'WIFI_206887'},
    ])
  })

  it("is a permission error that names Location services and quotes netsh when Windows 11 withholds the data", () => {
    const error = (() => {
      try {
        parseNetshInterfaces(sample('win11-zh-location-permission.txt'))
      } catch (error_) {
        return error_
      }
      return null
    })() as FactError
    expect(error).to.be.instanceOf(FactError)
    expect(error.kind).to.equal('permission')
    expect(error.message).to.contain('Location services').and.contain('netsh said: 网络 shell 命令需要位置权限才能访问 WLAN 信息。')
  })
})

describe('wifi (win32) on the rest of the netsh family', () => {
  const block = (lines: Array<[string, string]>): string => lines.map(([label, value]) => `    ${label.padEnd(22)} : ${value}`).join('\r\n')

  it('reads English Windows 7/10 wording, an open network, and a WEP one', () => {
    const open = `\r\nThere is 1 interface on the system:\r\n\r\n${block([
      ['Name', 'Wireless Network Connection'],
      ['State', 'connected'],
      ['SSID', '县政务外网-访客'],
      ['BSSID', '00-1A-2B-3C-4D-5E'],
      ['Authentication', 'Open'],
      ['Cipher', 'None'],
    ])}\r\n\r\n    Hosted network status  : Not available\r\n`
    expect(parseNetshInterfaces(open)).to.deep.equal([{bssid: '00:1a:2b:3c:4d:5e', connected: true, interface: 'Wireless Network Connection', security: 'open', ssid: '县政务外网-访客'}])
    const wep = open.replace('Cipher                 : None', 'Cipher                 : WEP')
    expect(parseNetshInterfaces(wep)[0]?.security).to.equal('wep')
  })

  it('reads a Chinese-named adapter on a WPA3 network, with indents and CRLF lost', () => {
    const text = ['系统上有 1 个接口:', '名称 : 无线网络连接 2', '状态 : 已连接', 'SSID : 区融媒体中心', 'BSSID : 9c:a6:15:0e:22:41', '身份验证 : WPA3 - 个人', '密码 : GCMP-256'].join('\n')
    expect(parseNetshInterfaces(text)).to.deep.equal([{bssid: '9c:a6:15:0e:22:41', connected: true, interface: '无线网络连接 2', security: 'wpa3', ssid: '区融媒体中心'}])
  })

  it('reads a disconnected and a connected adapter in one output, English 24H2 wording', () => {
    const text = `There are 2 interfaces on the system:\r\n\r\n${block([
      ['Name', 'Wi-Fi'],
      ['State', 'disconnected'],
    ])}\r\n\r\n${block([
      ['Name', 'Wi-Fi 2'],
      ['State', 'connected'],
      ['SSID', 'GOV-OFFICE'],
      ['AP BSSID', '00:3a:7d:11:22:33'],
      ['Authentication', 'WPA3-Enterprise'],
      ['Cipher', 'GCMP-256'],
    ])}\r\n`
    expect(parseNetshInterfaces(text)).to.deep.equal([{bssid: '00:3a:7d:11:22:33', connected: true, interface: 'Wi-Fi 2', security: 'wpa3-enterprise', ssid: 'GOV-OFFICE'}])
  })

  it('decodes the same output from UTF-16LE (with or without a BOM) and from GBK bytes', () => {
    const text = sample('win10-zh-intel-ac3165-wpa2-enterprise.txt')
    const expected = parseNetshInterfaces(text)
    expect(expected).to.have.length(1)
    expect(parseWifiFragment(fragmentOf(utf16le(text, true)))).to.deep.equal(expected)
    expect(parseWifiFragment(fragmentOf(utf16le(text, false)))).to.deep.equal(expected)
    expect(parseWifiFragment(fragmentOf(gbkEncode(text) as Buffer))).to.deep.equal(expected)
  })

  it('the English location-permission message is a permission error too', () => {
    const text = 'Network shell commands need location permission to access WLAN information. Turn on Location services on the Location page in Privacy & security settings.\r\n\r\nms-settings:privacy-location\r\n'
    expect(() => parseNetshInterfaces(text)).to.throw(FactError, /netsh said: Network shell commands need location permission/)
  })

  it('normalises every authentication wording, both languages', () => {
    expect(normaliseSecurity('WPA2 - 企业', 'CCMP')).to.equal('wpa2-enterprise')
    expect(normaliseSecurity('WPA2-Enterprise', 'CCMP')).to.equal('wpa2-enterprise')
    expect(normaliseSecurity('WPA - 企业', 'TKIP')).to.equal('wpa-enterprise')
    expect(normaliseSecurity('WPA3-Personal', 'CCMP')).to.equal('wpa3')
    expect(normaliseSecurity('WPA3 - 企业', 'GCMP-256')).to.equal('wpa3-enterprise')
    expect(normaliseSecurity('开放式', 'WEP')).to.equal('wep')
    expect(normaliseSecurity('共享', 'WEP')).to.equal('wep')
    expect(normaliseSecurity('Shared', 'WEP')).to.equal('wep')
    expect(normaliseSecurity('Open', 'None')).to.equal('open')
    expect(normaliseSecurity('Enhanced Open', 'CCMP')).to.equal('owe')
  })
})
