// SecurityCenter2 AntiVirusProduct as a real zh-CN Windows 11 listed it (test/fixtures/win32/samples,
// a third-party capture of Get-CimInstance's list view): 火绒 registered and on, Windows Defender
// registered but off, its service stopped. The batch's fragment carries the same properties as
// JSON, so the capture's values are fed through that shape.
import {expect} from 'chai'

import {decodeProductState, identifyProduct, parseAntivirus} from '../../../src/facts/antivirus/antivirus.win32.js'
import {gbkEncode} from '../../../src/facts/plaintext-secrets/content-match.js'
import {parseProcessList} from '../../../src/facts/win32/process-list.js'
import {decodeText} from '../../../src/os/decode-text.js'
import {fixtureBytes} from '../../helpers/fake-exec.js'

const NOW = new Date('2023-10-17T02:00:00Z')

/** The AntiVirusProduct records of a `Get-CimInstance … AntivirusProduct` list view ("name : value" blocks). */
function wscRecords(text: string): Array<Record<string, number | string>> {
  const listing = text.split(/^PS .*$/m)[1] ?? ''
  return listing
    .split(/(?:\r?\n){2,}/)
    .map((block) => Object.fromEntries([...block.matchAll(/^(\w+)\s+:\s?(.*)$/gm)].map(([, key, value]) => [key as string, key === 'productState' ? Number(value) : (value as string).trim()])))
    .filter((record) => 'displayName' in record)
}

const text = decodeText(fixtureBytes('win32/samples/securitycenter2/win11-zh-huorong-defender-raingray.txt'))
const wsc = wscRecords(text)

describe('antivirus (win32) on recorded third-party SecurityCenter2 output', () => {
  it('holds the two registered products, the Chinese name intact', () => {
    expect(wsc.map((r) => [r.displayName, r.productState])).to.deep.equal([
      ['Windows Defender', 393_472],
      ['火绒安全软件', 266_240],
    ])
    // The same list from a GBK console decodes to the same records.
    expect(wscRecords(decodeText(gbkEncode(text) as Buffer))).to.deep.equal(wsc)
  })

  it('decodes the recorded productStates: 火绒 on and current, Defender off (Microsoft, current)', () => {
    expect(decodeProductState(266_240)).to.deep.equal({enabled: true, microsoft: false, upToDate: true}) // 0x041000
    expect(decodeProductState(393_472)).to.deep.equal({enabled: false, microsoft: true, upToDate: true}) // 0x060100
  })

  it('identifies 火绒 by its reporting executable and Defender by its URI', () => {
    expect(wsc.map((r) => identifyProduct(String(r.displayName), [String(r.pathToSignedProductExe), String(r.pathToSignedReportingExe)])?.name)).to.deep.equal(['Microsoft Defender', '火绒安全 Huorong'])
  })

  it('reports 火绒 protecting and Defender off while WinDefend is stopped (Get-MpComputerStatus: real-time False)', () => {
    const processes = parseProcessList([
      {Id: 2144, Name: 'HipsDaemon', Path: 'D:\\Sysdiag\\Huorong\\Sysdiag\\bin\\HipsDaemon.exe'},
      {Id: 2280, Name: 'wsctrlsvc', Path: 'D:\\Sysdiag\\Huorong\\Sysdiag\\bin\\wsctrlsvc.exe'},
    ])
    const fragment = [{mp: {RealTimeProtectionEnabled: false}, mpError: null, wsc, wscError: null}]
    expect(parseAntivirus(fragment, processes, NOW)).to.deep.equal([
      {
        name: '火绒安全软件',
        product: '火绒安全 Huorong',
        realtime_enabled: true,
        running: true,
        signatures_age_days: 0,
        signatures_updated_at: '2023-10-16T10:53:44.000Z',
        source: 'securitycenter2',
        up_to_date: true,
      },
      {
        name: 'Microsoft Defender',
        product: 'Microsoft Defender',
        realtime_enabled: false,
        running: false,
        signatures_age_days: null,
        signatures_updated_at: null,
        source: 'defender',
        up_to_date: true,
      },
    ])
  })

  it('the same machine with 火绒 killed: registered "on" but not running is not protection', () => {
    const fragment = [{mp: null, mpError: 'Operation failed with the following error: 0x800106ba', wsc, wscError: null}]
    const rows = parseAntivirus(fragment, [], NOW)
    expect(rows.map((r) => [r.name, r.running, r.realtime_enabled, r.up_to_date, r.source])).to.deep.equal([
      ['火绒安全软件', false, false, true, 'securitycenter2'],
      ['Microsoft Defender', false, false, true, 'securitycenter2'],
    ])
  })
})
