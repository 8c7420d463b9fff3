import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, parseAirport, REDACTED_DETAIL, securityFromMode} from '../../../src/facts/wifi/wifi.darwin.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'

const SP = '/usr/sbin/system_profiler SPAirPortDataType -json -detailLevel basic'

describe('wifi on darwin', () => {
  it('reports the connected network with its security', () => {
    expect(parseAirport(fixture('darwin/SPAirPortDataType-connected.json'))).to.deep.equal([
      {bssid: null, connected: true, detail: null, interface: 'en0', security: 'wpa2', ssid: '区政府办公网-5G'},
    ])
  })

  it('gives a null SSID with a reason when macOS redacts it', () => {
    expect(parseAirport(fixture('darwin/SPAirPortDataType-redacted.json'))).to.deep.equal([
      {bssid: null, connected: true, detail: REDACTED_DETAIL, interface: 'en0', security: 'wpa2', ssid: null},
    ])
  })

  it('returns no rows when Wi-Fi is off or absent', () => {
    expect(parseAirport(fixture('darwin/SPAirPortDataType-off.json'))).to.deep.equal([])
    expect(parseAirport(fixture('darwin/SPAirPortDataType-nohardware.json'))).to.deep.equal([])
  })

  it('maps security modes to the weakest protocol accepted', () => {
    expect(securityFromMode('spairport_security_mode_none')).to.equal('open')
    expect(securityFromMode('spairport_security_mode_wep')).to.equal('wep')
    expect(securityFromMode('spairport_security_mode_wpa_personal')).to.equal('wpa')
    expect(securityFromMode('spairport_security_mode_wpa2_personal_mixed')).to.equal('wpa')
    expect(securityFromMode('spairport_security_mode_wpa2_enterprise')).to.equal('wpa2-enterprise')
    expect(securityFromMode('spairport_security_mode_wpa3_personal')).to.equal('wpa3')
    expect(securityFromMode('pairport_security_mode_wpa3_transition')).to.equal('wpa2')
    expect(securityFromMode(undefined)).to.equal(null)
  })

  it('lists networks in range when system_profiler includes them', () => {
    const json = JSON.stringify({SPAirPortDataType: [{spairport_airport_interfaces: [{_name: 'en0', spairport_airport_other_local_wireless_networks: [{_name: 'ChinaNet-Free', spairport_network_bssid: 'A4:1B:2C:3D:4E:5F', spairport_security_mode: 'spairport_security_mode_none'}], spairport_status_information: 'spairport_status_disassociated'}]}]})
    expect(parseAirport(json)).to.deep.equal([{bssid: 'a4:1b:2c:3d:4e:5f', connected: false, detail: null, interface: 'en0', security: 'open', ssid: 'ChinaNet-Free'}])
  })

  it('collects through system_profiler', async () => {
    const exec = fakeExec({[SP]: fixture('darwin/SPAirPortDataType-connected.json')})
    const rows = await collect(testContext('darwin', {exec}))
    expect(rows[0]).to.include({ssid: '区政府办公网-5G', connected: true})
  })

  it('throws on garbage and on a missing tool', async () => {
    expect(() => parseAirport('Wi-Fi:\n')).to.throw(FactError, /invalid JSON/)
    const error = await collect(testContext('darwin', {exec: fakeExec({})})).catch((e: unknown) => e)
    expect((error as FactError).kind).to.equal('missing_tool')
  })
})
