import {existsSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {buildPlan, formatTime, hostOffsetMinutes, shiftTime} from '../../src/schedule/plan.js'
import {clockTime, createArgs, deleteArgs, parseCsv, parseQuery, queryArgs, win32Scheduler, wrapperScript} from '../../src/schedule/schedule.win32.js'
import {fakeExec, fixture, fixtureBytes} from '../helpers/fake-exec.js'

const plan = (time = '09:05', env: Record<string, string> = {}) =>
  buildPlan({binPath: 'C:\\Program Files\\nodejs\\node_modules\\nm-guard\\bin\\run.js', env, execPath: 'C:\\Program Files\\nodejs\\node.exe', host: 'PC-0231', time})
const START = formatTime(shiftTime({hour: 9, minute: 5}, hostOffsetMinutes('PC-0231')))

describe('schedule on Windows (schtasks)', () => {
  it('creates the task with the exact schtasks arguments', () => {
    const wrapper = 'C:\\ProgramData\\nm-guard\\schedule\\daily-audit.cmd'
    expect(createArgs(plan(), wrapper, true)).to.deep.equal(['/Create', '/TN', 'nm-guard\\daily-audit', '/TR', wrapper, '/SC', 'DAILY', '/ST', START, '/F', '/RU', 'SYSTEM'])
    expect(createArgs(plan(), 'C:\\Users\\Li Wei\\nm-guard\\schedule\\daily-audit.cmd', false)).to.deep.equal([
      '/Create', '/TN', 'nm-guard\\daily-audit', '/TR', '"C:\\Users\\Li Wei\\nm-guard\\schedule\\daily-audit.cmd"', '/SC', 'DAILY', '/ST', START, '/F',
    ])
    expect(deleteArgs()).to.deep.equal(['/Delete', '/TN', 'nm-guard\\daily-audit', '/F'])
    expect(queryArgs()).to.deep.equal(['/Query', '/TN', 'nm-guard\\daily-audit', '/FO', 'CSV', '/V'])
  })

  it('writes a wrapper that sets the passed-through environment, with % doubled', () => {
    expect(wrapperScript(plan('09:05', {NMG_STATE_DIR: 'D:\\nmg 100% & co'}))).to.equal(
      [
        '@echo off',
        'rem Written by `nm-guard schedule install`: run it again to change, `nm-guard schedule remove` to delete.',
        'set "NMG_STATE_DIR=D:\\nmg 100%% & co"',
        '"C:\\Program Files\\nodejs\\node.exe" "C:\\Program Files\\nodejs\\node_modules\\nm-guard\\bin\\run.js" audit --report >nul',
        'exit /b %ERRORLEVEL%',
        '',
      ].join('\r\n'),
    )
  })

  it('parses quoted CSV with commas, doubled quotes and CRLF', () => {
    expect(parseCsv('\r\n"a","b,c"\r\n"say ""hi""",""\r\n')).to.deep.equal([['a', 'b,c'], ['say "hi"', '']])
  })

  it('reads a task that never ran', () => {
    expect(parseQuery(fixture('win32/schedule/query-en-never-run.csv'))).to.deep.equal({lastResult: null, nextRun: '11/28/2026 1:41:00 PM', time: '13:41'})
  })

  it('reads a task that ran, with its exit code', () => {
    expect(parseQuery(fixture('win32/schedule/query-en-ran.csv'))).to.deep.equal({lastResult: 'exit 3 (11/27/2026 1:41:02 PM)', nextRun: '11/28/2026 1:41:00 PM', time: '13:41'})
  })

  it('reads the clock of every locale', () => {
    expect(clockTime('12:05:00 AM')).to.equal('00:05')
    expect(clockTime('12:05:00 PM')).to.equal('12:05')
    expect(clockTime('下午 1:41:00')).to.equal('13:41')
    expect(clockTime('N/A')).to.equal(null)
  })

  it('installs (replacing), reports from a Chinese Windows in GBK, and removes', async () => {
    const state = mkdtempSync(join(tmpdir(), 'nmg-win-'))
    let installed = false
    const calls: string[][] = []
    const exec = async (file: string, args: string[]) => {
      calls.push([file, ...args])
      const verb = args[0]
      if (verb === '/Query') {
        return installed ? {code: 0, raw: fixtureBytes('win32/schedule/query-zh-CN-ran-gbk.bin'), stderr: '', stdout: ''} : {code: 1, raw: Buffer.alloc(0), stderr: 'ERROR: The system cannot find the file specified.\r\n', stdout: ''}
      }
      installed = verb === '/Create'
      return {code: 0, raw: Buffer.from('SUCCESS'), stderr: '', stdout: 'SUCCESS'}
    }
    const s = win32Scheduler({admin: true, exec, fsRoot: '', home: 'C:\\Users\\x', uid: 0}, state)
    expect(await s.status()).to.deep.equal({installed: false, lastResult: null, location: 'nm-guard\\daily-audit', mechanism: 'schtasks', nextRun: null, time: null})
    expect(await s.remove()).to.deep.equal({location: 'nm-guard\\daily-audit', mechanism: 'schtasks', removed: false})
    const wrapper = join(state, 'schedule', 'daily-audit.cmd')
    expect(await s.install(plan())).to.deep.equal({location: 'nm-guard\\daily-audit', mechanism: 'schtasks', replaced: false, time: START})
    expect(calls.at(-1)).to.deep.equal(['schtasks.exe', ...createArgs(plan(), wrapper, true)])
    expect(readFileSync(wrapper, 'utf8')).to.equal(wrapperScript(plan()))
    expect((await s.install(plan())).replaced).to.equal(true)
    expect(await s.status()).to.deep.equal({installed: true, lastResult: 'exit 0 (2026/11/27 13:41:02)', location: 'nm-guard\\daily-audit', mechanism: 'schtasks', nextRun: '2026/11/28 13:41:00', time: '13:41'})
    expect((await s.remove()).removed).to.equal(true)
    expect(calls.at(-1)).to.deep.equal(['schtasks.exe', ...deleteArgs()])
    expect(existsSync(wrapper)).to.equal(false)
  })

  it('says so when schtasks refuses to create the task', async () => {
    const exec = fakeExec({'schtasks.exe': {code: 1, stderr: 'ERROR: Access is denied.\r\n'}})
    const s = win32Scheduler({admin: false, exec, fsRoot: '', home: 'C:\\Users\\x', uid: 0}, mkdtempSync(join(tmpdir(), 'nmg-win-')))
    try {
      await s.install(plan())
      expect.fail('install succeeded')
    } catch (error) {
      expect(error).to.include({key: 'schedule.error.command'})
      expect((error as {params: {detail: string}}).params.detail).to.equal('ERROR: Access is denied.')
    }
  })
})
