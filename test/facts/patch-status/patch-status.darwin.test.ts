import {expect} from 'chai'

import {installRecords} from '../../../src/facts/darwin/install-history.js'
import {parsePlistXml} from '../../../src/facts/darwin/plist.js'
import {FactError} from '../../../src/os/fact-error.js'
import {
  collect,
  lastPatchFromHistory,
  lastPatchFromHistoryText,
  parseSoftwareUpdateList,
  patchStatusRow,
} from '../../../src/facts/patch-status/patch-status.darwin.js'
import {fakeExec, fixture, testContext} from '../../helpers/fake-exec.js'

const NOW = new Date('2026-11-27T08:00:00Z')
const PLUTIL = '/usr/bin/plutil -convert xml1 -o -'
const HISTORY = `${PLUTIL} /Library/Receipts/InstallHistory.plist`
const PREFS = `${PLUTIL} /Library/Preferences/com.apple.SoftwareUpdate.plist`
const LIST = '/usr/sbin/softwareupdate --list --no-scan'

describe('patch_status on darwin', () => {
  it('takes the last OS update from InstallHistory, ignoring app installs and XProtect data', () => {
    const records = installRecords(parsePlistXml(fixture('darwin/InstallHistory.plist')))
    // The newest records are XProtect/Gatekeeper data (11-20) and WeChat (11-01): not OS patches.
    expect(lastPatchFromHistory(records)).to.equal('2026-10-20T02:11:09.000Z')
  })

  it('reads softwareupdate --history dates month-first, or day-first when a day exceeds 12', () => {
    expect(lastPatchFromHistoryText(fixture('darwin/softwareupdate-history.txt'))).to.equal('2026-10-20T10:11:09.000Z')
    expect(lastPatchFromHistoryText(fixture('darwin/softwareupdate-history-en_GB.txt'))).to.equal('2026-10-20T10:11:09.000Z')
    expect(lastPatchFromHistoryText('Display Name  Version  Date\nmacOS Sonoma 14.4.1    14.4.1    2026/10/20 10:11\n')).to.equal('2026-10-20T10:11:00.000Z')
  })

  it('parses the pending list, recommended or not', () => {
    const updates = parseSoftwareUpdateList(fixture('darwin/softwareupdate-list.txt'))
    expect(updates.map((u) => u.label)).to.deep.equal([
      'macOS Sonoma 14.7.1-23H222',
      'Safari18.1SonomaAuto-18.1',
      'macOS Security Response 14.7.1 (a)-23H222a',
      'Command Line Tools for Xcode-16.0',
    ])
    expect(updates[2]).to.deep.equal({label: 'macOS Security Response 14.7.1 (a)-23H222a', recommended: true, title: 'macOS Security Response 14.7.1 (a)'})
    expect(updates[3]?.recommended).to.equal(false)
  })

  it('counts pending and security updates', () => {
    const row = patchStatusRow({lastCheckAt: '2026-11-26T23:14:51.000Z', lastPatchAt: '2026-10-20T02:11:09.000Z', listText: fixture('darwin/softwareupdate-list.txt')}, NOW)
    expect(row).to.deep.equal({
      days_since_patch: 38,
      last_check_at: '2026-11-26T23:14:51.000Z',
      last_patch_at: '2026-10-20T02:11:09.000Z',
      pending_count: 4,
      pending_security_count: 1,
      source: 'softwareupdate',
    })
  })

  it('trusts "No new software available" only after a recent check', () => {
    const none = fixture('darwin/softwareupdate-list-none.stderr.txt')
    expect(patchStatusRow({lastCheckAt: '2026-11-26T23:14:51.000Z', lastPatchAt: null, listText: none}, NOW)).to.include({pending_count: 0, pending_security_count: 0})
    expect(patchStatusRow({lastCheckAt: '2026-08-02T04:00:10.000Z', lastPatchAt: null, listText: none}, NOW)).to.include({pending_count: null, pending_security_count: null})
    expect(patchStatusRow({lastCheckAt: null, lastPatchAt: null, listText: none}, NOW)).to.include({pending_count: null, days_since_patch: null})
  })

  it('collects from files and the cached catalogue', async () => {
    const exec = fakeExec({
      [HISTORY]: fixture('darwin/InstallHistory.plist'),
      [LIST]: {stderr: fixture('darwin/softwareupdate-list.stderr.txt'), stdout: fixture('darwin/softwareupdate-list.txt')},
      [PREFS]: fixture('darwin/SoftwareUpdate.plist.xml'),
    })
    const [row] = await collect(testContext('darwin', {exec}))
    expect(row).to.include({last_patch_at: '2026-10-20T02:11:09.000Z', pending_count: 4, pending_security_count: 1, source: 'softwareupdate'})
    // Never a scan: only --no-scan listing.
    expect(exec.calls.some((c) => c.includes('--list') && !c.includes('--no-scan'))).to.equal(false)
  })

  it('falls back to softwareupdate --history when InstallHistory.plist is unreadable', async () => {
    const exec = fakeExec({
      [HISTORY]: {code: 1, stderr: 'file does not exist or is not readable'},
      [LIST]: {stderr: fixture('darwin/softwareupdate-list-none.stderr.txt')},
      [PREFS]: fixture('darwin/SoftwareUpdate-stale.plist.xml'),
      '/usr/sbin/softwareupdate --history': fixture('darwin/softwareupdate-history.txt'),
    })
    const [row] = await collect(testContext('darwin', {exec}))
    expect(row).to.include({last_patch_at: '2026-10-20T10:11:09.000Z', pending_count: null, last_check_at: '2026-08-02T04:00:10.000Z'})
  })

  it('throws when neither history can be read', async () => {
    const exec = fakeExec({[HISTORY]: {code: 1}, '/usr/sbin/softwareupdate --history': {code: 1, stderr: 'error'}, [PREFS]: {code: 1}})
    const error = await collect(testContext('darwin', {exec})).catch((e: unknown) => e)
    expect(error).to.be.instanceOf(FactError)
    expect((error as Error).message).to.match(/InstallHistory\.plist/)
  })

  it('reports a missing plutil as a missing tool', async () => {
    const error = await collect(testContext('darwin', {exec: fakeExec({})})).catch((e: unknown) => e)
    expect((error as FactError).kind).to.equal('missing_tool')
  })
})
