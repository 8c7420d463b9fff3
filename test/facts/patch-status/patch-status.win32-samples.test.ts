// Hotfix dates and update titles as real zh-CN Windows showed them (test/fixtures/win32/samples,
// third-party captures). The batch reads Win32_QuickFixEngineering through CIM, whose raw
// InstalledOn is the same text `wmic qfe` prints; the update titles are what the Windows Update
// history (and System-log event 19) carry.
import {expect} from 'chai'

import {isPatch, latestHistoryPatch, latestQfe, parsePatchStatus} from '../../../src/facts/patch-status/patch-status.win32.js'
import {parseCalendarDate, parseWinDate} from '../../../src/facts/win32/win-dates.js'
import {decodeText} from '../../../src/os/decode-text.js'
import {fixtureBytes} from '../../helpers/fake-exec.js'

const sample = (name: string): string => decodeText(fixtureBytes(`win32/samples/${name}`))

/** The `wmic qfe get …` table's rows as the CIM fragment carries them, cut at the header's (ASCII) columns. */
function qfeRows(text: string): Array<Record<string, string>> {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '' && !line.startsWith('PS '))
  const header = lines[0] ?? ''
  const starts = [...header.matchAll(/\S+/g)].map((m) => ({at: m.index, name: m[0]}))
  return lines.slice(1).map((line) => Object.fromEntries(starts.map(({at, name}, i) => [name, line.slice(at, starts[i + 1]?.at ?? line.length).trim()])))
}

describe('patch_status (win32) on recorded third-party output', () => {
  const rows = qfeRows(sample('qfe/win11-zh-wmic-qfe-raingray.txt'))

  it('reads every InstalledOn of the wmic qfe capture as M/d/yyyy', () => {
    expect(rows.map((r) => [r.HotFixID, r.Description, parseWinDate(r.InstalledOn)])).to.deep.equal([
      ['KB5030651', 'Update', '2023-10-12T00:00:00.000Z'],
      ['KB5012170', 'Security Update', '2022-12-07T00:00:00.000Z'],
      ['KB5031354', 'Security Update', '2023-10-12T00:00:00.000Z'],
      ['KB5031592', 'Update', '2023-10-12T00:00:00.000Z'],
    ])
  })

  it('takes the newest hotfix as the last patch, through the fragment the batch writes', () => {
    const qfe = rows.map(({Description, HotFixID, InstalledOn}) => ({Description, HotFixID, InstalledOn}))
    expect(latestQfe(qfe)).to.equal('2023-10-12T00:00:00.000Z')
    const [row] = parsePatchStatus([{autoUpdate: null, history: [], historyError: null, qfe}], new Date('2023-10-16T10:53:44Z'))
    expect(row).to.include({days_since_patch: 4, last_patch_at: '2023-10-12T00:00:00.000Z', pending_count: null})
  })

  it('never reads InstalledOn day-first, whatever the PC locale, and rejects garbage', () => {
    // The string is en-US M/d/yyyy on every locale (the zh-CN capture says 12/7/2022, not 2022/12/7):
    // 10/12/2023 is 12 October, never 10 December; a day-first string cannot be a month.
    expect(parseCalendarDate('10/12/2023')).to.equal('2023-10-12T00:00:00.000Z')
    expect(parseCalendarDate('12/7/2022')).to.equal('2022-12-07T00:00:00.000Z')
    expect(parseCalendarDate('13/10/2023')).to.equal(null)
    expect(parseCalendarDate('31/12/2023')).to.equal(null)
    for (const junk of ['10/12/23', '10-12-2023', '0/12/2023', '2/29/2023', '2023年10月12日', 'KB5031354', '10/12/2023 0:00:00']) expect(parseWinDate(junk), junk).to.equal(null)
    expect(parseCalendarDate('2/29/2024')).to.equal('2024-02-29T00:00:00.000Z')
    expect(parseWinDate(' 10/12/2023 ')).to.equal('2023-10-12T00:00:00.000Z')
  })
})

describe('patch_status (win32) update titles, both languages', () => {
  const titles = sample('windows-update/zh-wu-titles-real.txt')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')

  it('the recorded Defender security-intelligence titles are definition updates, not patches', () => {
    expect(titles).to.have.length(3)
    for (const title of titles) expect(isPatch(title), title).to.equal(false)
  })

  it('cumulative and security updates are patches; definitions, platform updates and the removal tool are not', () => {
    const patches = [
      '2023-10 适用于 Windows 11 Version 22H2 的累积更新，适合基于 x64 的系统 (KB5031354)',
      '2023-10 适用于 Windows 11 Version 22H2 的 .NET Framework 3.5 和 4.8.1 累积更新，适合基于 x64 的系统（KB5030651）',
      'Windows 7 安全更新程序 (KB4012212)',
      '2023-10 Cumulative Update for Windows 10 Version 22H2 for x64-based Systems (KB5031356)',
      'Security Update for Windows 7 for x64-based Systems (KB4012212)',
    ]
    const notPatches = [
      'Microsoft Defender Antivirus 的安全智能更新 - KB2267602 (版本 1.399.1180.0)',
      'Windows Defender Antivirus 的定义更新 - KB2267602 (定义 1.279.1234.0)',
      'Microsoft Defender Antivirus 反恶意软件平台更新 - KB4052623 (版本 4.18.23090.2008)',
      'Windows 恶意软件删除工具 x64 - v5.118 (KB890830)',
      'Security Intelligence Update for Microsoft Defender Antivirus - KB2267602 (Version 1.399.1180.0)',
      'Definition Update for Windows Defender Antivirus - KB2267602 (Definition 1.279.1234.0)',
      'Update for Microsoft Defender Antivirus antimalware platform - KB4052623 (Version 4.18.23090.2008)',
      'Windows Malicious Software Removal Tool x64 - v5.118 (KB890830)',
      'Intel Corporation - Display - 31.0.101.5590',
    ]
    for (const title of patches) expect(isPatch(title), title).to.equal(true)
    for (const title of notPatches) expect(isPatch(title), title).to.equal(false)
  })

  it('a history full of definition updates does not hide when the PC was last really patched', () => {
    const history = [
      ...titles.map((Title, i) => ({Date: `2023-11-0${i + 1}T03:00:00Z`, Operation: 1, ResultCode: 2, Title})),
      {Date: '2023-10-12T02:10:00Z', Operation: 1, ResultCode: 2, Title: '2023-10 适用于 Windows 11 Version 22H2 的累积更新，适合基于 x64 的系统 (KB5031354)'},
    ]
    expect(latestHistoryPatch(history)).to.equal('2023-10-12T02:10:00.000Z')
  })
})
