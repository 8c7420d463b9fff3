// The Windows snapshot fixtures used by the end-to-end audit tests are exactly what the win32
// collectors make of the recorded fixtures, and show the situations they are meant to show.
import {expect} from 'chai'
import {readFileSync} from 'node:fs'

import {TABLE_NAMES} from '../../../src/facts/registry.js'
import type {FactsSnapshot, Row, TableResult} from '../../../src/facts/types.js'
import {buildSnapshot, render, type Scenario, snapshotPath} from '../../fixtures/win32/build-snapshots.js'

const load = (scenario: Scenario): FactsSnapshot => JSON.parse(readFileSync(snapshotPath(scenario), 'utf8')) as FactsSnapshot
const rows = (snapshot: FactsSnapshot, table: string): Row[] => {
  const result = snapshot.tables[table] as TableResult
  if (!('rows' in result)) throw new Error(`${table}: ${result.error}`)
  return result.rows
}
const names = (snapshot: FactsSnapshot, table: string): string[] => rows(snapshot, table).map((r) => String(r.name))

describe('win32 snapshot fixtures', () => {
  for (const scenario of ['dirty', 'clean'] as const) {
    it(`snapshot-${scenario}.json is up to date (npx tsx test/fixtures/win32/build-snapshots.ts --write)`, async () => {
      expect(readFileSync(snapshotPath(scenario), 'utf8')).to.equal(render(await buildSnapshot(scenario)))
    })

    it(`snapshot-${scenario}.json is a complete win32 facts document`, () => {
      const snapshot = load(scenario)
      expect(snapshot.schema).to.equal('nm-guard/facts@1')
      expect(snapshot.host).to.deep.equal({arch: 'x64', hostname: 'GCXMT-PC01', os_name: 'Microsoft Windows 11 专业版', os_version: '10.0.22631', platform: 'win32'})
      expect(Object.keys(snapshot.tables)).to.have.members([...TABLE_NAMES])
      for (const table of TABLE_NAMES) expect(snapshot.tables[table], table).to.have.property('rows')
    })

    it(`${scenario}: Douyin, Kuaishou, WeChat and WPS are installed and running (work tools)`, () => {
      const snapshot = load(scenario)
      expect(names(snapshot, 'installed_software')).to.include.members(['抖音', '快手', '微信', 'WPS Office (12.1.0.18608)'])
      expect(names(snapshot, 'processes')).to.include.members(['Douyin.exe', 'Kuaishou.exe', 'WeChat.exe', 'wps.exe'])
    })
  }

  it('dirty: 向日葵 running, KMSpico and a public KMS host, 75 days unpatched, antivirus down', () => {
    const dirty = load('dirty')
    expect(names(dirty, 'installed_software')).to.include('向日葵远程控制')
    expect(names(dirty, 'processes')).to.include('SunloginClient.exe')
    expect(rows(dirty, 'activation_traces')).to.deep.include({detail: 'KMSpico', kind: 'file', location: 'C:\\Program Files\\KMSpico'})
    expect(rows(dirty, 'activation_traces').find((r) => r.kind === 'kms_host')?.detail).to.equal('kms.03k.org')
    expect(rows(dirty, 'os_version')[0]).to.include({activation_channel: 'Volume:GVLK', kms_host: 'kms.03k.org'})
    expect(rows(dirty, 'patch_status')[0]).to.include({days_since_patch: 75})
    const [huorong, defender] = rows(dirty, 'antivirus')
    expect(huorong).to.include({name: '火绒安全软件', running: false})
    expect(defender).to.include({name: 'Microsoft Defender', realtime_enabled: false, signatures_age_days: 20})
  })

  it('clean: genuine Retail, patched 5 days ago, 火绒 protecting, firewall on, approved Wi-Fi, no remote control', () => {
    const clean = load('clean')
    expect(rows(clean, 'os_version')[0]).to.include({activation_channel: 'Retail', genuine: true, kms_host: null})
    expect(rows(clean, 'patch_status')[0]).to.include({days_since_patch: 5})
    expect(rows(clean, 'antivirus')[0]).to.include({name: '火绒安全软件', realtime_enabled: true, running: true, signatures_age_days: 1})
    expect(rows(clean, 'firewall').map((r) => [r.name, r.enabled])).to.deep.equal([['Domain', true], ['Private', true], ['Public', true]])
    expect(rows(clean, 'wifi')).to.deep.equal([{bssid: '74:4d:6d:77:bf:10', connected: true, interface: 'WLAN', security: 'wpa2', ssid: 'GC-ZWGK-5F'}])
    expect(rows(clean, 'activation_traces')).to.deep.equal([])
    expect(names(clean, 'installed_software').join(' ')).to.not.match(/向日葵|ToDesk|TeamViewer|AnyDesk/)
    expect(names(clean, 'processes').join(' ')).to.not.match(/Sunlogin|ToDesk|TeamViewer|AnyDesk/i)
  })
})
