import {expect} from 'chai'

import {FactError} from '../../../src/os/fact-error.js'
import {collect, isPatch, latestHistoryPatch, latestQfe, parsePatchStatus} from '../../../src/facts/patch-status/patch-status.win32.js'
import {objects} from '../../../src/facts/win32/ps-json.js'
import {denied, noPowerShell, psFixture, winContext} from '../win32/ps-fixtures.js'

const NOW = new Date('2026-11-27T08:00:00Z')

describe('patch_status (win32)', () => {
  it('takes the newest successful KB update from history and hotfixes; pending is honestly unknown', () => {
    expect(parsePatchStatus(psFixture('patch-status.json'), NOW)).to.deep.equal([
      {
        days_since_patch: 75,
        last_patch_at: '2026-09-13T02:31:08.000Z',
        last_search_at: '2026-11-26T09:14:03.000Z',
        pending_count: null,
        pending_security_count: null,
        source: 'windows-update',
      },
    ])
  })

  it('does not count definition updates, the removal tool, drivers, failures or uninstalls', () => {
    expect(isPatch('Microsoft Defender Antivirus 安全智能更新 - KB2267602 (版本 1.441.288.0) - 当前频道(广泛)')).to.equal(false)
    expect(isPatch('Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.421.1490.0)')).to.equal(false)
    expect(isPatch('Windows 恶意软件删除工具 x64 - v5.138 (KB890830)')).to.equal(false)
    expect(isPatch('Intel Corporation - Display - 31.0.101.5590')).to.equal(false)
    expect(isPatch('2026-09 Cumulative Update for Windows 11 Version 23H2 for x64-based Systems (KB5065431)')).to.equal(true)
    const [fragment] = psFixture('patch-status.json') as Array<Record<string, unknown>>
    const history = objects(fragment?.history)
    // The failed October update (ResultCode 4) is newer but does not count.
    expect(latestHistoryPatch(history)).to.equal('2026-09-13T02:31:08.000Z')
    expect(latestHistoryPatch(history.filter((h) => h.Operation === 2))).to.equal(null)
  })

  it('reads QFE InstalledOn as M/d/yyyy and skips empty ones', () => {
    expect(latestQfe([{InstalledOn: '8/14/2026'}, {InstalledOn: ''}, {InstalledOn: '9/13/2026'}])).to.equal('2026-09-13T00:00:00.000Z')
    expect(latestQfe([{InstalledOn: '01cc0e8a4e9a5c00'}])).to.equal('2011-05-09T20:47:27.391Z')
  })

  it('uses hotfix dates alone when the update history is unreadable, and fails when there is nothing', () => {
    const onlyQfe = [{autoUpdate: null, history: [], historyError: 'Exception from HRESULT: 0x80240438', qfe: [{HotFixID: 'KB5068865', InstalledOn: '11/22/2026'}]}]
    expect(parsePatchStatus(onlyQfe, NOW)[0]).to.include({days_since_patch: 5, last_patch_at: '2026-11-22T00:00:00.000Z', last_search_at: null})
    expect(() => parsePatchStatus([{history: [], historyError: 'Exception from HRESULT: 0x8024001E', qfe: []}], NOW)).to.throw(FactError, /Windows Update history unavailable/)
  })

  it('collects through the batch without an update search', async () => {
    const ctx = winContext({patch_status: psFixture('scenario-clean/patch-status.json')})
    expect((await collect(ctx))[0]).to.include({days_since_patch: 5, last_patch_at: '2026-11-22T01:15:42.000Z'})
    const script = ctx.scripts()[0] ?? ''
    expect(script).to.contain('QueryHistory')
    expect(script).to.not.contain('.Search(')
  })

  it('fails with a reason when PowerShell is missing or access is denied', async () => {
    expect(((await collect(noPowerShell()).catch((e: unknown) => e)) as FactError).kind).to.equal('missing_tool')
    expect(((await collect(winContext({patch_status: denied()})).catch((e: unknown) => e)) as FactError).message).to.match(/needs administrator/)
  })
})
