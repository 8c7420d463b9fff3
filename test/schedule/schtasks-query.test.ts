import {expect} from 'chai'

import {decodeText} from '../../src/os/decode-text.js'
import {clockTime, formatResult, parseCsv, parseQuery, resultCode} from '../../src/schedule/schtasks-query.js'
import {fixture, fixtureBytes} from '../helpers/fake-exec.js'

describe('schedule on Windows: reading schtasks /Query /V', () => {
  it('reads the real zh-CN LIST and CSV (GBK) records of a task that ran', () => {
    const expected = {lastResult: '0x80070005', lastRun: '2023/10/24 15:27:24', nextRun: '2023/10/25 4:39:04', time: '03:00'}
    expect(parseQuery(fixture('win32/schedule/samples/list-v-zh-office-updates-raingray.txt'))).to.deep.equal(expected)
    const csv = fixtureBytes('win32/schedule/samples/derived-csv-v-zh-office-updates-raingray.gbk.bin')
    expect(csv.toString('utf8')).not.to.include('主机名')
    expect(parseQuery(decodeText(csv))).to.deep.equal(expected)
  })

  it('reads the real zh-CN records of a task that never ran (267011, 1999/11/30, N/A)', () => {
    const expected = {lastResult: null, lastRun: null, nextRun: null, time: null}
    expect(parseQuery(fixture('win32/schedule/samples/list-v-zh-edgeupdate-never-run.txt'))).to.deep.equal(expected)
    expect(parseQuery(decodeText(fixtureBytes('win32/schedule/samples/derived-csv-v-zh-edgeupdate-never-run.gbk.bin')))).to.deep.equal(expected)
  })

  it('reads the English CSV layout', () => {
    expect(parseQuery(fixture('win32/schedule/query-en-never-run.csv'))).to.deep.equal({lastResult: null, lastRun: null, nextRun: '11/28/2026 1:41:00 PM', time: '13:41'})
    expect(parseQuery(fixture('win32/schedule/query-en-ran.csv'))).to.deep.equal({lastResult: 'exit 3', lastRun: '11/27/2026 1:41:02 PM', nextRun: '11/28/2026 1:41:00 PM', time: '13:41'})
  })

  const englishList = (fields: {next: string; last: string; result: string; start: string; comment?: string}) =>
    [
      '',
      'Folder: \\nm-guard',
      'HostName:                             PC-0231',
      'TaskName:                             \\nm-guard\\daily-audit',
      `Next Run Time:                        ${fields.next}`,
      'Status:                               Ready',
      'Logon Mode:                           Interactive/Background',
      `Last Run Time:                        ${fields.last}`,
      `Last Result:                          ${fields.result}`,
      'Author:                               PC-0231\\Admin',
      'Task To Run:                          "C:\\Program Files\\nm-guard\\node.exe" run.js audit',
      'Start In:                             N/A',
      `Comment:                              ${fields.comment ?? 'N/A'}`,
      'Scheduled Task State:                 Enabled',
      'Idle Time:                            Disabled',
      'Power Management:                     ',
      'Run As User:                          SYSTEM',
      'Delete Task If Not Rescheduled:       Disabled',
      'Stop Task If Runs X Hours and X Mins: 00:30:00',
      'Schedule:                             Scheduling data is not available in this format.',
      'Schedule Type:                        Daily ',
      `Start Time:                           ${fields.start}`,
      'Start Date:                           10/12/2023',
      'Repeat: Every:                        Disabled',
      '',
    ].join('\r\n')

  it('reads the English LIST layout, hex and decimal results, 12-hour clocks and a comment over two lines', () => {
    expect(parseQuery(englishList({last: '10/12/2023 1:05:01 PM', next: '10/13/2023 12:47:00 PM', result: '0x1', start: '12:47:00 PM'}))).to.deep.equal({
      lastResult: 'exit 1',
      lastRun: '10/12/2023 1:05:01 PM',
      nextRun: '10/13/2023 12:47:00 PM',
      time: '12:47',
    })
    expect(parseQuery(englishList({comment: 'first line\r\nsecond line', last: '11/30/1999 12:00:00 AM', next: 'N/A', result: '0x41303', start: '12:05:00 AM'}))).to.deep.equal({
      lastResult: null,
      lastRun: null,
      nextRun: null,
      time: '00:05',
    })
  })

  it('reads zh-CN words for never, 24-hour and 上午/下午 clocks, and -1 / 4 as results', () => {
    const zh = (next: string, last: string, result: string, start: string) =>
      `\r\n"主机名","任务名","下次运行时间","模式","登录状态","上次运行时间","上次结果"${',"x"'.repeat(12)},"开始时间"\r\n"PC","\\nm-guard\\daily-audit","${next}","就绪","交互方式/后台方式","${last}","${result}"${',"x"'.repeat(12)},"${start}"\r\n`
    expect(parseQuery(zh('2023/10/13 13:05:00', '2023/10/12 13:05:01', '4', '13:05:00'))).to.deep.equal({lastResult: 'exit 4', lastRun: '2023/10/12 13:05:01', nextRun: '2023/10/13 13:05:00', time: '13:05'})
    expect(parseQuery(zh('从不', '从不', '267011', '下午 1:05:00'))).to.deep.equal({lastResult: null, lastRun: null, nextRun: null, time: '13:05'})
    expect(parseQuery(zh('N/A', '2023/10/12 上午 9:05:01', '-1', 'N/A'))).to.deep.equal({lastResult: '0xFFFFFFFF', lastRun: '2023/10/12 上午 9:05:01', nextRun: null, time: null})
  })

  it('finds no task in an error, a header alone or nothing', () => {
    expect(parseQuery('')).to.equal(null)
    expect(parseQuery('"HostName","TaskName","Next Run Time"\r\n')).to.equal(null)
    expect(parseQuery('ERROR: The system cannot find the file specified.\r\n')).to.equal(null)
  })

  it('reads result codes and clocks of every form', () => {
    expect(resultCode('267011')).to.equal(0x41303)
    expect(resultCode('0x41303')).to.equal(0x41303)
    expect(resultCode('-2147024891')).to.equal(0x80070005)
    expect(resultCode('0')).to.equal(0)
    expect(resultCode('N/A')).to.equal(null)
    expect(resultCode('99999999999')).to.equal(null)
    expect(formatResult(3)).to.equal('exit 3')
    expect(formatResult(0x41301)).to.equal('0x41301')
    expect(clockTime('12:05:00 AM')).to.equal('00:05')
    expect(clockTime('12:05:00 PM')).to.equal('12:05')
    expect(clockTime('下午 1:41:00')).to.equal('13:41')
    expect(clockTime('N/A')).to.equal(null)
  })

  it('parses quoted CSV with commas, doubled quotes and CRLF', () => {
    expect(parseCsv('\r\n"a","b,c"\r\n"say ""hi""",""\r\n')).to.deep.equal([['a', 'b,c'], ['say "hi"', '']])
  })
})
