import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {appxRows, collect, isWindowsOwnPackage, parseInstalledSoftware, publisherName} from '../../../src/facts/installed-software/installed-software.win32.js'
import type {Row} from '../../../src/facts/types.js'
import {fakeExec, fixtureBytes, testContext} from '../../helpers/fake-exec.js'
import {denied, noPowerShell, psFixture, winContext} from '../win32/ps-fixtures.js'

const byName = (rows: Row[], name: string): Row | undefined => rows.find((r) => r.name === name)

describe('installed_software (win32)', () => {
  const rows = parseInstalledSoftware(psFixture('installed-software.json'))

  it('lists Programs-and-Features entries with Chinese names and ISO install dates', () => {
    expect(byName(rows, '向日葵远程控制')).to.deep.equal({
      install_date: '2026-08-12',
      location: 'C:\\Program Files\\Oray\\SunLogin\\SunloginClient',
      name: '向日葵远程控制',
      publisher: '上海贝锐信息科技股份有限公司',
      source: 'registry',
      user: null,
      version: '15.2.0.63064',
    })
    expect(byName(rows, '微信')).to.include({install_date: null, publisher: '腾讯科技(深圳)有限公司', version: '3.9.12.17'})
    expect(byName(rows, '抖音')).to.include({publisher: '北京微播视界科技有限公司'})
    // "2026/7/10" is read; "Fri Aug 14 2026" is not a date anyone should trust.
    expect(byName(rows, '快手')).to.include({install_date: '2026-07-10'})
    expect(byName(rows, 'Realtek Audio Driver')).to.include({install_date: null})
    // Quoted InstallLocation loses its quotes.
    expect(byName(rows, '钉钉')).to.include({location: 'C:\\Program Files (x86)\\DingDing'})
  })

  it('marks per-user installs with the SID of their hive', () => {
    expect(byName(rows, 'WPS Office (12.1.0.18608)')).to.include({user: 'S-1-5-21-3623811015-3361044348-30300820-1001'})
  })

  it('skips nameless keys, system components and updates of other products', () => {
    expect(rows.some((r) => r.name === null)).to.equal(false)
    expect(byName(rows, 'Microsoft Visual C++ 2022 X64 Minimum Runtime - 14.40.33810')).to.equal(undefined)
    expect(rows.some((r) => String(r.name).includes('KB5002623'))).to.equal(false)
    expect(byName(rows, 'Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.40.33810')).to.not.equal(undefined)
  })

  it('adds MSIX apps without frameworks, resource packs or duplicates, Windows’ own as msix-system', () => {
    const appx = rows.filter((r) => String(r.source).startsWith('msix'))
    expect(appx.map((r) => [r.name, r.source])).to.deep.equal([
      ['Microsoft.Windows.ShellExperienceHost', 'msix-system'],
      ['Microsoft.WindowsCalculator', 'msix-system'],
      ['2E5E4A1D.WPSOffice', 'msix'],
    ])
    expect(appx[1]).to.include({publisher: 'Microsoft Corporation', version: '11.2405.2.0'})
    expect(appx[2]).to.include({publisher: 'Zhuhai Kingsoft Office Software Co., Ltd.'})
    expect(appxRows([])).to.deep.equal([])
  })

  describe('on a Chinese Windows 11’s Get-AppxPackage -AllUsers', () => {
    const win11 = parseInstalledSoftware(psFixture('installed-software-appx-win11.json'))
    const bySource = (source: string): string[] => win11.filter((r) => r.source === source).map((r) => String(r.name))

    it('keeps only third-party Store apps (and a sideloaded look-alike) as msix', () => {
      expect(bySource('msix')).to.deep.equal(['TencentWeChatLimited.WeChatUWP', 'AppleInc.iTunes', 'Alibaba.DingTalk', 'Douyin.DouyinPC', 'Microsoft.ToolkitHelper'])
    })

    it('marks Windows’ own apps msix-system: system-signed, non-removable, Microsoft Store apps and Clipchamp', () => {
      const system = bySource('msix-system')
      for (const name of ['Microsoft.Windows.ShellExperienceHost', 'Microsoft.WindowsCalculator', 'Microsoft.Windows.Photos', 'Microsoft.XboxGameOverlay', 'MicrosoftWindows.Client.WebExperience', 'Microsoft.MicrosoftEdge.Stable', 'Microsoft.DesktopAppInstaller', 'Clipchamp.Clipchamp']) {
        expect(system, name).to.include(name)
      }
      expect(system).to.have.length(31)
    })

    it('leaves out frameworks and language resource packs', () => {
      const names = win11.map((r) => r.name)
      for (const name of ['Microsoft.VCLibs.140.00', 'Microsoft.UI.Xaml.2.8', 'Microsoft.LanguageExperiencePackzh-CN', 'Microsoft.NET.Native.Framework.2.2']) expect(names, name).to.not.include(name)
      // The Calculator's zh-Hans resource split is not a second Calculator.
      expect(names.filter((n) => n === 'Microsoft.WindowsCalculator')).to.have.length(1)
    })
  })

  it('tells Windows’ own packages apart by signature, not by name alone', () => {
    const ms = 'CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US'
    expect(isWindowsOwnPackage({Name: 'Microsoft.Paint', Publisher: ms, SignatureKind: 'Store'})).to.equal(true)
    expect(isWindowsOwnPackage({Name: 'Microsoft.Paint', Publisher: ms, SignatureKind: 'Developer'})).to.equal(false)
    expect(isWindowsOwnPackage({Name: 'Clipchamp.Clipchamp', PackageFullName: 'Clipchamp.Clipchamp_3.1.10880.0_neutral__0123456789abc', Publisher: 'CN=Someone', SignatureKind: 'Store'})).to.equal(false)
    expect(isWindowsOwnPackage({Name: 'Vendor.App', NonRemovable: true, Publisher: 'CN=Vendor', SignatureKind: 'Store'})).to.equal(true)
  })

  it('reads the publisher out of a certificate subject', () => {
    expect(publisherName('CN=Microsoft Corporation, O=Microsoft Corporation, L=Redmond, S=Washington, C=US')).to.equal('Microsoft Corporation')
    expect(publisherName('CN=A3F3D4B3-6F2A-4C3F-8D9C-1E2F3A4B5C6D')).to.equal('A3F3D4B3-6F2A-4C3F-8D9C-1E2F3A4B5C6D')
    expect(publisherName(null)).to.equal(null)
  })

  for (const [encoding, file] of [
    ['UTF-16LE', 'win32/installed-software-batch-utf16le.bin'],
    ['GBK', 'win32/installed-software-batch-gbk.bin'],
  ] as const) {
    it(`keeps Chinese names when PowerShell printed ${encoding}`, async () => {
      const ctx = testContext('win32', {exec: fakeExec({'powershell.exe': {raw: fixtureBytes(file)}})})
      const got = await collect(ctx)
      expect(got.map((r) => r.name)).to.deep.equal(['360安全卫士', '钉钉', '微信', '向日葵远程控制', 'WPS Office (11.1.0.14309)', 'Notepad++ (64-bit x64)'])
      expect(byName(got, '向日葵远程控制')).to.include({publisher: '上海贝锐信息科技股份有限公司', version: null})
      expect(byName(got, 'WPS Office (11.1.0.14309)')).to.include({location: 'C:\\Users\\王芳\\AppData\\Local\\Kingsoft\\WPS Office', user: 'S-1-5-21-1180699209-877415012-3182924384-1004'})
    })
  }

  it('reads machine, 32-bit and per-user keys plus Appx, and never Win32_Product', async () => {
    const ctx = winContext({installed_software: psFixture('installed-software.json')})
    await collect(ctx)
    const script = ctx.scripts()[0] ?? ''
    expect(script).to.contain('Get-AppxPackage -AllUsers')
    expect(script).to.contain('WOW6432Node')
    expect(script).to.contain('Registry::HKEY_USERS')
    expect(script).to.not.match(/Win32_Product/i)
  })

  it('fails with a reason when PowerShell is missing or access is denied', async () => {
    expect(((await collect(noPowerShell()).catch((e: unknown) => e)) as FactError).kind).to.equal('missing_tool')
    const error = (await collect(winContext({installed_software: denied()})).catch((e: unknown) => e)) as FactError
    expect(error.kind).to.equal('permission')
    expect(error.message).to.match(/administrator/)
  })
})
