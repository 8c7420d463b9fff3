import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, normaliseSecurity, parseNetshInterfaces, parseWifiFragment} from '../../../src/facts/wifi/wifi.win32.js'
import {fixture, fixtureBytes} from '../../helpers/fake-exec.js'
import {denied, noPowerShell, winContext} from '../win32/ps-fixtures.js'

const netsh = (name: string): string => fixture(`win32/${name}`)
const fragmentOf = (bytes: Buffer, exitCode = 0): unknown[] => [{base64: bytes.toString('base64'), exitCode}]

describe('wifi (win32)', () => {
  it('reads the connected network from Chinese Windows 11 netsh output', () => {
    expect(parseNetshInterfaces(netsh('netsh-wlan-zh-win11.txt'))).to.deep.equal([
      {bssid: '74:4d:6d:77:bf:10', connected: true, interface: 'WLAN', security: 'wpa2', ssid: 'GC-ZWGK-5F'},
    ])
  })

  it('reads English Windows 11 output without mistaking co-located APs for the BSSID', () => {
    expect(parseNetshInterfaces(netsh('netsh-wlan-en-win11.txt'))).to.deep.equal([
      {bssid: '70:13:01:8a:d9:a3', connected: true, interface: 'Wi-Fi', security: 'wpa3', ssid: 'GC-Guest'},
    ])
  })

  it('sees an open network on Chinese Windows 10', () => {
    expect(parseNetshInterfaces(netsh('netsh-wlan-zh-win10.txt'))).to.deep.equal([
      {bssid: '8c:a6:df:20:31:4e', connected: true, interface: 'WLAN', security: 'open', ssid: 'CMCC-WEB'},
    ])
  })

  it('keeps only connected interfaces (two adapters, one enterprise network)', () => {
    expect(parseNetshInterfaces(netsh('netsh-wlan-en-enterprise.txt'))).to.deep.equal([
      {bssid: '00:3a:7d:11:22:33', connected: true, interface: 'Wi-Fi', security: 'wpa2-enterprise', ssid: 'GOV-OFFICE'},
    ])
    expect(parseNetshInterfaces(netsh('netsh-wlan-zh-disconnected.txt'))).to.deep.equal([])
  })

  it('means "no Wi-Fi" when the WLAN service is not running', () => {
    expect(parseNetshInterfaces(netsh('netsh-wlan-wlansvc.txt'))).to.deep.equal([])
    expect(parseNetshInterfaces(netsh('netsh-wlan-zh-wlansvc.txt'))).to.deep.equal([])
    expect(parseNetshInterfaces('\r\nThere is no wireless interface on the system.\r\n')).to.deep.equal([])
  })

  it('is a permission error when Windows 11 withholds WLAN data without Location services', () => {
    expect(() => parseNetshInterfaces(netsh('netsh-wlan-location.txt'))).to.throw(FactError, /Location services/)
  })

  it('normalises authentication names in both languages', () => {
    expect(normaliseSecurity('WPA2-Personal', 'CCMP')).to.equal('wpa2')
    expect(normaliseSecurity('WPA2 - 个人', 'CCMP')).to.equal('wpa2')
    expect(normaliseSecurity('WPA3-个人', 'GCMP-256')).to.equal('wpa3')
    expect(normaliseSecurity('WPA2-企业', 'CCMP')).to.equal('wpa2-enterprise')
    expect(normaliseSecurity('WPA-Personal', 'TKIP')).to.equal('wpa')
    expect(normaliseSecurity('开放式', '无')).to.equal('open')
    expect(normaliseSecurity('Open', 'WEP')).to.equal('wep')
    expect(normaliseSecurity('OWE', 'CCMP')).to.equal('owe')
    expect(normaliseSecurity(null, null)).to.equal(null)
  })

  it('decodes netsh bytes printed in GBK (code page 936)', () => {
    const rows = parseWifiFragment(fragmentOf(fixtureBytes('win32/netsh-wlan-zh-win11-gbk.bin')))
    expect(rows).to.deep.equal([{bssid: '74:4d:6d:77:bf:10', connected: true, interface: 'WLAN', security: 'wpa2', ssid: 'GC-ZWGK-5F'}])
    expect(() => parseWifiFragment(fragmentOf(Buffer.alloc(0), 1))).to.throw(FactError, /printed nothing \(exit 1\)/)
  })

  it('collects through the batch', async () => {
    const ctx = winContext({wifi: fragmentOf(fixtureBytes('win32/netsh-wlan-zh-win11.txt'))})
    expect(await collect(ctx)).to.have.length(1)
    expect(ctx.scripts()[0]).to.contain("'wlan show interfaces'")
  })

  it('fails with a reason when PowerShell is missing or access is denied', async () => {
    expect(((await collect(noPowerShell()).catch((e: unknown) => e)) as FactError).kind).to.equal('missing_tool')
    expect(((await collect(winContext({wifi: denied()})).catch((e: unknown) => e)) as FactError).message).to.match(/needs administrator/)
  })
})
