import {expect} from 'chai'

import {collect, parseDescription, parseOfficeActivation} from '../../../src/facts/office-activation/office-activation.win32.js'
import {FactError} from '../../../src/os/fact-error.js'
import {denied, noPowerShell, psFixture, winContext} from '../win32/ps-fixtures.js'

const NOW = new Date('2026-11-27T08:00:00Z')

describe('office_activation (win32)', () => {
  it('reads a KMS-activated Office 2019 and takes its host from the 32-bit registry view', () => {
    expect(parseOfficeActivation(psFixture('office-activation.json'), NOW)).to.deep.equal([
      {
        channel: 'VOLUME_KMSCLIENT',
        genuine: true,
        grace_period_ends: '2027-05-26T07:00:00.000Z',
        kms_host: 'kms.03k.org',
        kms_host_source: 'registry-32',
        license_status: 'licensed',
        product: 'Office 19, Office19ProPlus2019VL_KMS_Client_AE edition',
        release: '19',
        source: 'spp',
      },
      {
        channel: 'VOLUME_KMSCLIENT',
        genuine: false,
        grace_period_ends: null,
        kms_host: 'kms.03k.org',
        kms_host_source: 'registry-32',
        license_status: 'notification',
        product: 'Office 19, Office19VisioPro2019VL_KMS_Client_AE edition',
        release: '19',
        source: 'spp',
      },
    ])
  })

  it('gives a subscription licence no KMS host', () => {
    const [row] = parseOfficeActivation(psFixture('scenario-clean/office-activation.json'), NOW)
    expect(row).to.include({channel: 'TIMEBASED_SUB', genuine: true, kms_host: null, kms_host_source: null, release: '16'})
  })

  it('prefers the licence’s own KMS host, and reads Office 2010 through its own licensing service', () => {
    const rows = parseOfficeActivation(psFixture('office-activation-district-kms.json'), NOW)
    expect(rows.map((r) => [r.source, r.release, r.kms_host, r.kms_host_source])).to.deep.equal([
      ['spp', '21', 'kms.gc.gov.cn', 'licence'],
      ['ospp', '14', '10.13.0.5', 'ospp-registry'],
    ])
  })

  it('parses the channel and release of every description shape', () => {
    expect(parseDescription('Office 19, VOLUME_KMSCLIENT channel')).to.deep.equal({channel: 'VOLUME_KMSCLIENT', release: '19'})
    expect(parseDescription('Office 16, RETAIL channel')).to.deep.equal({channel: 'RETAIL', release: '16'})
    expect(parseDescription('Office 21, VOLUME_MAK channel')).to.deep.equal({channel: 'VOLUME_MAK', release: '21'})
    expect(parseDescription(null)).to.deep.equal({channel: null, release: null})
  })

  it('has no rows without an Office licence, and is unavailable when licensing WMI fails', () => {
    expect(parseOfficeActivation([{ospp: [], registry: [], spp: [], sppError: null}], NOW)).to.deep.equal([])
    const broken = (): unknown => parseOfficeActivation([{ospp: [], registry: [], spp: [], sppError: 'Invalid class "SoftwareLicensingProduct"'}], NOW)
    expect(broken).to.throw(FactError, /SoftwareLicensingProduct/)
  })

  it('asks for Office’s application id and reads both registry views', async () => {
    const ctx = winContext({office_activation: psFixture('scenario-clean/office-activation.json')})
    await collect(ctx)
    const script = ctx.scripts()[0] ?? ''
    expect(script).to.contain("ApplicationID='0ff1ce15-a989-479d-af46-f275c6370663'")
    expect(script).to.contain('OfficeSoftwareProtectionProduct')
    expect(script).to.contain('SOFTWARE\\WOW6432Node\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform\\0ff1ce15-a989-479d-af46-f275c6370663')
    expect(script).to.contain('SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\SoftwareProtectionPlatform\\0ff1ce15-a989-479d-af46-f275c6370663')
  })

  it('fails with a reason when PowerShell is missing or access is denied', async () => {
    expect(((await collect(noPowerShell()).catch((e: unknown) => e)) as FactError).kind).to.equal('missing_tool')
    expect(((await collect(winContext({office_activation: denied()})).catch((e: unknown) => e)) as FactError).message).to.match(/needs administrator/)
  })
})
