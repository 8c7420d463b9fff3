import {expect} from 'chai'

import {collect, decodeProductState, identifyProduct, parseAntivirus} from '../../../src/facts/antivirus/antivirus.win32.js'
import {FactError} from '../../../src/os/fact-error.js'
import {parseProcessList} from '../../../src/facts/win32/process-list.js'
import {denied, noPowerShell, psFixture, winContext} from '../win32/ps-fixtures.js'

const NOW = new Date('2026-11-27T08:00:00Z')
const dirtyProcesses = parseProcessList(psFixture('processes.json'))
const cleanProcesses = parseProcessList(psFixture('scenario-clean/processes.json'))

describe('antivirus (win32)', () => {
  it('decodes SecurityCenter2 productState', () => {
    expect(decodeProductState(266_240)).to.deep.equal({enabled: true, microsoft: false, upToDate: true}) // 0x041000
    expect(decodeProductState(262_144)).to.deep.equal({enabled: false, microsoft: false, upToDate: true}) // 0x040000
    expect(decodeProductState(266_256)).to.deep.equal({enabled: true, microsoft: false, upToDate: false}) // 0x041010
    expect(decodeProductState(397_568)).to.deep.equal({enabled: true, microsoft: true, upToDate: true}) // 0x061100
    expect(decodeProductState(393_488)).to.deep.equal({enabled: false, microsoft: true, upToDate: false}) // 0x060110
    expect(decodeProductState(0x06_2100).enabled).to.equal(false) // snoozed
  })

  it('identifies products by their executables or display names', () => {
    expect(identifyProduct('火绒安全软件', ['C:\\Program Files\\Huorong\\Sysdiag\\bin\\HipsMain.exe'])?.name).to.equal('火绒安全 Huorong')
    expect(identifyProduct('360天擎', [null])?.name).to.equal('奇安信天擎 QAX')
    expect(identifyProduct('360杀毒', [null])?.name).to.equal('360安全卫士 / 360杀毒')
    expect(identifyProduct('Windows Defender', ['windowsdefender://'])?.name).to.equal('Microsoft Defender')
    expect(identifyProduct('Some Unknown AV', ['C:\\AV\\av.exe'])).to.equal(undefined)
  })

  it('reports a registered 火绒 that is not running as running=false, and Defender with real-time off', () => {
    expect(parseAntivirus(psFixture('antivirus.json'), dirtyProcesses, NOW)).to.deep.equal([
      {
        name: '火绒安全软件',
        product: '火绒安全 Huorong',
        realtime_enabled: false,
        running: false,
        signatures_age_days: 21,
        signatures_updated_at: '2026-11-06T02:11:37.000Z',
        source: 'securitycenter2',
        up_to_date: true,
      },
      {
        name: 'Microsoft Defender',
        product: 'Microsoft Defender',
        realtime_enabled: false,
        running: true,
        signatures_age_days: 20,
        signatures_updated_at: '2026-11-07T03:22:15.000Z',
        source: 'defender',
        up_to_date: false,
      },
    ])
  })

  it('reports a running 火绒 with fresh signatures, and Defender standing down', () => {
    const rows = parseAntivirus(psFixture('scenario-clean/antivirus.json'), cleanProcesses, NOW)
    expect(rows[0]).to.include({name: '火绒安全软件', realtime_enabled: true, running: true, signatures_age_days: 1, up_to_date: true})
    expect(rows[1]).to.include({name: 'Microsoft Defender', realtime_enabled: false, running: false, signatures_age_days: null, signatures_updated_at: null})
  })

  it('still reports Defender on Windows Server, where SecurityCenter2 does not exist', () => {
    const rows = parseAntivirus(psFixture('antivirus-server.json'), dirtyProcesses, NOW)
    expect(rows).to.have.length(1)
    expect(rows[0]).to.include({name: 'Microsoft Defender', realtime_enabled: true, running: true, signatures_age_days: 0, source: 'defender', up_to_date: true})
  })

  it('finds unregistered products by their processes, and Defender whose service was stopped', () => {
    const processes = parseProcessList([{Id: 2210, Name: 'TQClient'}, {Id: 2211, Name: 'QAXTray'}])
    const rows = parseAntivirus([{mp: null, mpError: 'Operation failed with the following error: 0x800106ba', wsc: [], wscError: 'Invalid namespace '}], processes, NOW)
    expect(rows).to.deep.equal([
      {name: 'Microsoft Defender', product: 'Microsoft Defender', realtime_enabled: false, running: false, signatures_age_days: null, signatures_updated_at: null, source: 'defender', up_to_date: null},
      {name: '奇安信天擎 QAX', product: '奇安信天擎 QAX', realtime_enabled: null, running: true, signatures_age_days: null, signatures_updated_at: null, source: 'process', up_to_date: null},
    ])
  })

  it('an unknown registered product is judged by its reporting executable', () => {
    const processes = parseProcessList([{Id: 77, Name: 'avagent', Path: 'C:\\Program Files\\Foo AV\\avagent.exe'}])
    const fragment = [{mp: null, mpError: 'Get-MpComputerStatus is not available (Defender is not installed)', wsc: {displayName: 'Foo AV', pathToSignedProductExe: 'C:\\Program Files\\Foo AV\\ui.exe', pathToSignedReportingExe: 'C:\\Program Files\\Foo AV\\avagent.exe', productState: 266_240, timestamp: 'Wed, 25 Nov 2026 10:00:00 GMT'}, wscError: null}]
    expect(parseAntivirus(fragment, processes, NOW)[0]).to.include({name: 'Foo AV', product: null, realtime_enabled: true, running: true})
  })

  it('is unsupported when no source works at all', () => {
    const fragment = [{mp: null, mpError: 'Get-MpComputerStatus is not available (Defender is not installed)', wsc: [], wscError: 'Invalid namespace '}]
    expect(() => parseAntivirus(fragment, [], NOW)).to.throw(FactError, /SecurityCenter2 is unavailable/)
  })

  it('collects the product list and the process list in one batch', async () => {
    const ctx = winContext({antivirus: psFixture('antivirus.json'), processes: psFixture('processes.json')}, {now: () => NOW})
    const rows = await collect(ctx)
    expect(rows.map((r) => r.name)).to.deep.equal(['火绒安全软件', 'Microsoft Defender'])
    expect(ctx.scripts()).to.have.length(1)
  })

  it('fails with a reason when PowerShell is missing or access is denied', async () => {
    expect(((await collect(noPowerShell()).catch((e: unknown) => e)) as FactError).kind).to.equal('missing_tool')
    const error = (await collect(winContext({antivirus: denied(), processes: []})).catch((e: unknown) => e)) as FactError
    expect(error.message).to.match(/needs administrator/)
  })
})
