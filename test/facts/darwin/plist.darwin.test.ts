import {expect} from 'chai'

import {installRecords} from '../../../src/facts/darwin/install-history.js'
import {isDict, parsePlistXml, readPlist} from '../../../src/facts/darwin/plist.js'
import {fakeExec, fixture} from '../../helpers/fake-exec.js'

describe('darwin plist parsing', () => {
  it('parses an XML plist dict with every scalar type', () => {
    const value = parsePlistXml(fixture('darwin/SoftwareUpdate.plist.xml'))
    expect(isDict(value)).to.equal(true)
    if (!isDict(value)) return
    expect(value.AutomaticCheckEnabled).to.equal(true)
    expect(value.SkipLocalCDN).to.equal(false)
    expect(value.LastUpdatesAvailable).to.equal(4)
    expect(value.LastAttemptBuildVersion).to.equal('14.4.1 (23E224)')
    expect((value.LastSuccessfulDate as Date).toISOString()).to.equal('2026-11-26T23:14:51.000Z')
    expect(value.PrimaryLanguages).to.deep.equal(['zh-Hans', 'zh-Hans-CN', 'en'])
    const updates = value.RecommendedUpdates as unknown[]
    expect(updates).to.have.length(1)
    expect((updates[0] as Record<string, unknown>)['Display Name']).to.equal('macOS Sonoma 14.7.1')
  })

  it('decodes entities, empty strings and data', () => {
    const value = parsePlistXml('<plist version="1.0"><dict><key>a</key><string>R&amp;D &lt;1&gt; &#x5FAE;&#20449;</string><key>b</key><string/><key>c</key><data>aGk=</data><key>d</key><array/></dict></plist>')
    expect(value).to.deep.equal({a: 'R&D <1> 微信', b: '', c: Uint8Array.from([104, 105]), d: []})
  })

  it('rejects text that is not a plist', () => {
    expect(() => parsePlistXml('<plist><dict><string>x</string></dict></plist>')).to.throw(/expected <key>/)
  })

  it('reads InstallHistory.plist records with UTC dates and Chinese names', () => {
    const records = installRecords(parsePlistXml(fixture('darwin/InstallHistory.plist')))
    expect(records).to.have.length(10)
    expect(records[0]).to.deep.equal({contentType: null, date: '2026-03-09T03:12:45.000Z', displayName: 'macOS 14.4', displayVersion: '14.4', packageIdentifiers: [], processName: 'softwareupdated'})
    expect(records[1]?.displayVersion).to.equal(null)
    expect(records[5]?.displayName).to.equal('微信')
    expect(records[8]?.contentType).to.equal('config-data')
  })

  it('readPlist goes through plutil and is null for a missing file', async () => {
    const exec = fakeExec({
      '/usr/bin/plutil -convert xml1 -o - /a.plist': fixture('darwin/XProtect-Info.plist.xml'),
      '/usr/bin/plutil -convert xml1 -o - /missing.plist': {code: 1, stderr: '/missing.plist: file does not exist or is not readable or is not a regular file (Error Domain=NSCocoaErrorDomain Code=260)'},
    })
    const value = await readPlist(exec, '/a.plist')
    expect(isDict(value) && value.CFBundleShortVersionString).to.equal('5287')
    expect(await readPlist(exec, '/missing.plist')).to.equal(null)
  })
})
