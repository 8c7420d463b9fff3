import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, normaliseArch, parseOsVersion} from '../../../src/facts/os-version/os-version.win32.js'
import {denied, noPowerShell, psFixture, winContext} from '../win32/ps-fixtures.js'

const NOW = new Date('2026-11-27T08:00:00Z')

describe('os_version (win32)', () => {
  it('reads a KMS-activated Windows 11 专业版 with its KMS host and grace end', () => {
    expect(parseOsVersion(psFixture('os-version.json'), NOW)).to.deep.equal([
      {
        activation_channel: 'Volume:GVLK',
        arch: 'x64',
        build: '22631.4460',
        display_version: '23H2',
        family: 'windows',
        genuine: true,
        grace_period_ends: '2027-05-20T08:00:00.000Z',
        kms_host: 'kms.03k.org',
        license_status: 'licensed',
        name: 'Microsoft Windows 11 专业版',
        platform: 'win32',
        version: '10.0.22631',
      },
    ])
  })

  it('reads a Retail licence: no KMS host, no grace period', () => {
    const [row] = parseOsVersion(psFixture('scenario-clean/os-version.json'), NOW)
    expect(row).to.include({activation_channel: 'Retail', genuine: true, grace_period_ends: null, kms_host: null, license_status: 'licensed'})
  })

  it('shows a KMS38 grace end past 2037 and ignores the ESU add-on licence', () => {
    const [row] = parseOsVersion(psFixture('os-version-kms38.json'), NOW)
    expect(row).to.include({activation_channel: 'Volume:GVLK', build: '19044.5131', genuine: true, grace_period_ends: '2038-01-24T08:00:00.000Z', kms_host: '127.0.0.2', name: 'Microsoft Windows 10 企业版 LTSC'})
  })

  it('reports not genuine for notification mode, and unknown when licensing could not be read', () => {
    const [base] = psFixture('os-version.json') as Array<Record<string, unknown>>
    const notification = [{...base, licenses: {Description: 'Windows(R) Operating System, RETAIL channel', LicenseStatus: 5, Name: 'Windows(R), Core edition', ProductKeyChannel: 'Retail'}}]
    expect(parseOsVersion(notification, NOW)[0]).to.include({genuine: false, license_status: 'notification'})
    const unreadable = [{...base, licenseError: 'Invalid class', licenses: [], spp: {KeyManagementServiceName: null}}]
    expect(parseOsVersion(unreadable, NOW)[0]).to.include({activation_channel: null, genuine: null, kms_host: null, license_status: null})
  })

  it('normalises localised OSArchitecture', () => {
    expect(normaliseArch('64-bit')).to.equal('x64')
    expect(normaliseArch('64 位')).to.equal('x64')
    expect(normaliseArch('ARM 64 位处理器')).to.equal('arm64')
    expect(normaliseArch('32 位')).to.equal('x86')
  })

  it('collects through the PowerShell batch', async () => {
    const ctx = winContext({os_version: psFixture('os-version.json')})
    const rows = await collect(ctx)
    expect(rows[0]).to.include({kms_host: 'kms.03k.org', name: 'Microsoft Windows 11 专业版'})
    expect(ctx.scripts()[0]).to.contain("ApplicationID='55c92734-d682-4d71-983e-d6ec3f16059f'")
  })

  it('fails with a reason when PowerShell is missing or access is denied', async () => {
    const missing = await collect(noPowerShell()).catch((e: unknown) => e)
    expect((missing as FactError).kind).to.equal('missing_tool')
    const forbidden = await collect(winContext({os_version: denied()})).catch((e: unknown) => e)
    expect(forbidden).to.be.instanceOf(FactError)
    expect((forbidden as FactError).message).to.match(/needs administrator/)
  })
})
