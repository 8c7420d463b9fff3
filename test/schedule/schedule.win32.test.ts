import {existsSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import {expect} from 'chai'
import {XMLParser} from 'fast-xml-parser'

import {decodeText} from '../../src/os/decode-text.js'
import {appendFailure} from '../../src/schedule/failure-log.js'
import {buildPlan, formatTime, hostOffsetMinutes, shiftTime} from '../../src/schedule/plan.js'
import {openScheduler} from '../../src/schedule/scheduler.js'
import {
  createArgs,
  deleteArgs,
  hasExpandable,
  queryArgs,
  startBoundary,
  taskArguments,
  taskArgv,
  taskXml,
  taskXmlBytes,
  win32Scheduler,
} from '../../src/schedule/schedule.win32.js'
import {fakeExec, fixtureBytes} from '../helpers/fake-exec.js'

const NODE = 'C:\\Program Files\\nm-guard\\node.exe'
const BIN = 'C:\\Program Files\\nm-guard\\bin\\run.js'
const ZH_BIN = 'C:\\Users\\张伟\\AppData\\Local\\nm guard\\bin\\run.js'
const plan = (time = '09:05', env: Record<string, string> = {}, binPath = BIN) => buildPlan({binPath, env, execPath: NODE, host: 'PC-0231', time})
const START = formatTime(shiftTime({hour: 9, minute: 5}, hostOffsetMinutes('PC-0231')))
// A fixed local clock: 08:00 on 27 November 2026, before the 09:xx start, so the task starts today.
const NOW = new Date(2026, 10, 27, 8, 0, 0)

/**
 * How the C runtime (which splits node.exe's command line into argv) reads a command line: written
 * here from Microsoft's "Parsing C command-line arguments", independently of the code under test.
 */
function crtSplit(line: string): string[] {
  const out: string[] = []
  let i = 0
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++
    if (i >= line.length) break
    let arg = ''
    let inQuotes = false
    for (; i < line.length; i++) {
      const c = line[i]
      if (!inQuotes && (c === ' ' || c === '\t')) break
      if (c === '\\') {
        let n = 0
        while (line[i + n] === '\\') n++
        if (line[i + n] === '"') {
          arg += '\\'.repeat(Math.floor(n / 2))
          if (n % 2 === 1) {
            arg += '"'
            i += n
          } else i += n - 1
        } else {
          arg += '\\'.repeat(n)
          i += n - 1
        }
      } else if (c === '"') {
        // Inside quotes, "" is a literal quote (the rule since the 2008 runtime).
        if (inQuotes && line[i + 1] === '"') {
          arg += '"'
          i++
        } else inQuotes = !inQuotes
      } else arg += c
    }
    out.push(arg)
  }
  return out
}

/** The command line Task Scheduler hands CreateProcess: the command quoted, then <Arguments>. */
const taskCommandLine = (command: string, args: string): string => `"${command}" ${args}`

const parser = new XMLParser({ignoreAttributes: false, parseTagValue: false})
const ordered = new XMLParser({ignoreAttributes: false, parseTagValue: false, preserveOrder: true})
/** The child element names of the first `path` element, in document order. */
function childNames(text: string, path: string[]): string[] {
  let nodes = ordered.parse(text) as Array<Record<string, unknown>>
  for (const name of path) {
    const node = nodes.find((n) => name in n)
    if (!node) throw new Error(`no ${name}`)
    nodes = node[name] as Array<Record<string, unknown>>
  }
  return nodes.flatMap((n) => Object.keys(n).filter((k) => k !== ':@' && k !== '#text'))
}

// settingsType's elements in schema version 1.2 (learn.microsoft.com, "settingsType Complex Type").
const SETTINGS_1_2 = new Set([
  'AllowStartOnDemand', 'RestartOnFailure', 'MultipleInstancesPolicy', 'DisallowStartIfOnBatteries', 'StopIfGoingOnBatteries', 'AllowHardTerminate',
  'StartWhenAvailable', 'NetworkProfileName', 'RunOnlyIfNetworkAvailable', 'WakeToRun', 'Enabled', 'Hidden', 'DeleteExpiredTaskAfter', 'IdleSettings',
  'NetworkSettings', 'ExecutionTimeLimit', 'Priority', 'RunOnlyIfIdle',
])

describe('schedule on Windows: the task XML', () => {
  it('quotes arguments so that the C runtime splits them back exactly', () => {
    const words = [
      'C:\\Program Files\\nm-guard\\bin\\run.js',
      'C:\\Users\\张伟\\nm guard\\',
      'C:\\Users\\张伟\\',
      'D:\\状态目录',
      'say "hi"',
      'ends in a quote"',
      'back\\\\"slash',
      '',
      '--state-dir=C:\\Users\\Li Wei\\state\\',
      'tab\there',
    ]
    const args = taskArguments(words)
    expect(crtSplit(taskCommandLine(NODE, args))).to.deep.equal([NODE, ...words])
    expect(taskArguments(['C:\\a b\\'])).to.equal('"C:\\a b\\\\"')
    expect(taskArguments(['C:\\Users\\张伟\\run.js', 'audit'])).to.equal('C:\\Users\\张伟\\run.js audit')
    expect(taskArguments(['a "b"'])).to.equal('"a \\"b\\""')
  })

  it('runs node.exe directly with the state and config folders as arguments', () => {
    const p = plan('09:05', {NMG_CONFIG_DIR: 'C:\\Users\\张伟\\配置', NMG_STATE_DIR: 'D:\\nm guard\\状态\\'})
    expect(taskArgv(p)).to.deep.equal({
      args: [BIN, 'audit', '--report', '--scheduled', '--config-dir=C:\\Users\\张伟\\配置', '--state-dir=D:\\nm guard\\状态\\'],
      command: NODE,
    })
  })

  it('writes the exact XML of an elevated task (SYSTEM, highest, hidden, catch-up, time limit)', () => {
    const p = plan('09:05', {NMG_STATE_DIR: 'D:\\nm guard\\状态\\'}, ZH_BIN)
    const text = taskXml(p, {elevated: true, now: NOW})
    expect(text).to.equal(
      [
        '<?xml version="1.0" encoding="UTF-16"?>',
        '<Task version="1.2" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">',
        '  <RegistrationInfo>',
        '    <Author>nm-guard</Author>',
        '    <Description>nm-guard daily compliance audit and report. Written by `nm-guard schedule install`: run it again to change, `nm-guard schedule remove` to delete.</Description>',
        '    <URI>\\nm-guard\\daily-audit</URI>',
        '  </RegistrationInfo>',
        '  <Triggers>',
        '    <CalendarTrigger>',
        `      <StartBoundary>2026-11-27T${START}:00</StartBoundary>`,
        '      <ScheduleByDay>',
        '        <DaysInterval>1</DaysInterval>',
        '      </ScheduleByDay>',
        '    </CalendarTrigger>',
        '  </Triggers>',
        '  <Principals>',
        '    <Principal id="Author">',
        '      <UserId>S-1-5-18</UserId>',
        '      <RunLevel>HighestAvailable</RunLevel>',
        '    </Principal>',
        '  </Principals>',
        '  <Settings>',
        '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
        '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
        '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
        '    <AllowHardTerminate>true</AllowHardTerminate>',
        '    <StartWhenAvailable>true</StartWhenAvailable>',
        '    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>',
        '    <AllowStartOnDemand>true</AllowStartOnDemand>',
        '    <Enabled>true</Enabled>',
        '    <Hidden>true</Hidden>',
        '    <RunOnlyIfIdle>false</RunOnlyIfIdle>',
        '    <WakeToRun>false</WakeToRun>',
        '    <ExecutionTimeLimit>PT30M</ExecutionTimeLimit>',
        '  </Settings>',
        '  <Actions Context="Author">',
        '    <Exec>',
        '      <Command>C:\\Program Files\\nm-guard\\node.exe</Command>',
        '      <Arguments>"C:\\Users\\张伟\\AppData\\Local\\nm guard\\bin\\run.js" audit --report --scheduled "--state-dir=D:\\nm guard\\状态\\\\"</Arguments>',
        '    </Exec>',
        '  </Actions>',
        '</Task>',
        '',
      ].join('\r\n'),
    )
  })

  it('parses as the Task Scheduler schema lays it out, and its action round-trips to the argv', () => {
    const p = plan('23:50', {NMG_CONFIG_DIR: 'C:\\Users\\张伟\\a&b <c>', NMG_STATE_DIR: 'D:\\say "hi"\\'}, ZH_BIN)
    for (const elevated of [true, false]) {
      const text = taskXml(p, {elevated, now: NOW})
      const doc = parser.parse(text)
      const task = doc.Task
      expect(task['@_xmlns']).to.equal('http://schemas.microsoft.com/windows/2004/02/mit/task')
      expect(task['@_version']).to.equal('1.2')
      expect(childNames(text, ['Task'])).to.deep.equal(['RegistrationInfo', 'Triggers', 'Principals', 'Settings', 'Actions'])
      // calendarTriggerType: triggerBaseType's sequence (StartBoundary), then RandomDelay?, then the schedule.
      expect(childNames(text, ['Task', 'Triggers', 'CalendarTrigger'])).to.deep.equal(['StartBoundary', 'ScheduleByDay'])
      expect(task.Triggers.CalendarTrigger.ScheduleByDay.DaysInterval).to.equal('1')
      expect(task.Triggers.CalendarTrigger.StartBoundary).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00$/)
      for (const name of childNames(text, ['Task', 'Settings'])) expect(SETTINGS_1_2.has(name), name).to.equal(true)
      expect(task.Settings).to.include({ExecutionTimeLimit: 'PT30M', Hidden: 'true', MultipleInstancesPolicy: 'IgnoreNew', StartWhenAvailable: 'true'})
      expect(task.Principals.Principal['@_id']).to.equal(task.Actions['@_Context'])
      expect(task.Principals.Principal).to.deep.equal(
        elevated ? {'@_id': 'Author', RunLevel: 'HighestAvailable', UserId: 'S-1-5-18'} : {'@_id': 'Author', LogonType: 'InteractiveToken', RunLevel: 'LeastPrivilege'},
      )
      // execType is a sequence: Command, then Arguments.
      expect(childNames(text, ['Task', 'Actions', 'Exec'])).to.deep.equal(['Command', 'Arguments'])
      const exec = task.Actions.Exec
      // The parser resolves &amp; &lt; &gt;: what Task Scheduler reads.
      const command: string = exec.Command
      const args: string = exec.Arguments
      expect(crtSplit(taskCommandLine(command, args))).to.deep.equal([...p.command, '--config-dir=C:\\Users\\张伟\\a&b <c>', '--state-dir=D:\\say "hi"\\'])
    }
  })

  it('is written as UTF-16LE with a byte-order mark', () => {
    const text = taskXml(plan('09:05', {}, ZH_BIN), {elevated: true, now: NOW})
    const bytes = taskXmlBytes(text)
    expect([...bytes.subarray(0, 6)]).to.deep.equal([0xff, 0xfe, 0x3c, 0x00, 0x3f, 0x00])
    expect(bytes.length).to.equal(2 + text.length * 2)
    expect(bytes.subarray(2).toString('utf16le')).to.equal(text)
    expect(decodeText(bytes)).to.include('张伟')
  })

  it('starts today when the time is still ahead, else tomorrow (across a year end)', () => {
    expect(startBoundary({hour: 9, minute: 5}, new Date(2026, 10, 27, 8, 0))).to.equal('2026-11-27T09:05:00')
    expect(startBoundary({hour: 9, minute: 5}, new Date(2026, 10, 27, 9, 5))).to.equal('2026-11-28T09:05:00')
    expect(startBoundary({hour: 0, minute: 10}, new Date(2026, 11, 31, 23, 0))).to.equal('2027-01-01T00:10:00')
  })

  it('refuses a path Task Scheduler would expand', () => {
    expect(hasExpandable('C:\\%USERNAME%\\run.js')).to.equal(true)
    expect(hasExpandable('C:\\100% sure\\run.js')).to.equal(false)
    expect(hasExpandable('C:\\a%\\b %c')).to.equal(false)
  })
})

describe('schedule on Windows: the backend', () => {
  it('creates, queries and deletes with the exact schtasks argv, through a UTF-16 XML it then removes', async () => {
    const temp = mkdtempSync(join(tmpdir(), 'nmg-win-tmp-'))
    const state = mkdtempSync(join(tmpdir(), 'nmg-win-state-'))
    let installed = false
    const calls: string[][] = []
    const xmls: Buffer[] = []
    const exec = async (file: string, args: string[]) => {
      calls.push([file, ...args])
      if (args[0] === '/Create') {
        xmls.push(readFileSync(args[4] ?? ''))
        installed = true
      }
      if (args[0] === '/Delete') installed = false
      if (args[0] === '/Query') {
        return installed ? {code: 0, raw: fixtureBytes('win32/schedule/query-zh-CN-ran-gbk.bin'), stderr: '', stdout: ''} : {code: 1, raw: Buffer.alloc(0), stderr: 'ERROR: The system cannot find the file specified.\r\n', stdout: ''}
      }
      return {code: 0, raw: Buffer.from('SUCCESS'), stderr: '', stdout: 'SUCCESS'}
    }
    const s = await openScheduler('win32', {admin: true, exec, now: () => NOW, stateDir: state, tempParent: temp})
    const schtasks = 'C:\\Windows\\System32\\schtasks.exe'
    expect(await s.status()).to.deep.equal({installed: false, lastFailure: null, lastResult: null, lastRun: null, location: 'nm-guard\\daily-audit', mechanism: 'schtasks', nextRun: null, time: null})
    expect(calls).to.deep.equal([[schtasks, '/Query', '/TN', 'nm-guard\\daily-audit', '/FO', 'CSV', '/V']])
    expect(await s.install(plan('09:05', {NMG_STATE_DIR: 'D:\\状态'}, ZH_BIN))).to.deep.equal({elevated: true, location: 'nm-guard\\daily-audit', mechanism: 'schtasks', replaced: false, time: START})
    const create = calls.at(-1) ?? []
    expect(create.slice(0, 4)).to.deep.equal([schtasks, '/Create', '/TN', 'nm-guard\\daily-audit'])
    expect(create[4]).to.equal('/XML')
    expect(create.slice(6)).to.deep.equal(['/F'])
    expect(create).to.deep.equal([schtasks, ...createArgs(create[5] ?? '')])
    // The XML was in a fresh folder of its own under the secure parent, and both are gone.
    expect(dirname(dirname(create[5] ?? ''))).to.equal(temp)
    expect(existsSync(dirname(create[5] ?? ''))).to.equal(false)
    expect(xmls[0]?.equals(taskXmlBytes(taskXml(plan('09:05', {NMG_STATE_DIR: 'D:\\状态'}, ZH_BIN), {elevated: true, now: NOW})))).to.equal(true)
    expect((await s.install(plan())).replaced).to.equal(true)
    appendFailure(state, '2026-11-27T05:00:00.000Z\texit 1\tnm-guard is not enrolled')
    expect(await s.status()).to.deep.equal({
      installed: true,
      lastFailure: '2026-11-27T05:00:00.000Z\texit 1\tnm-guard is not enrolled',
      lastResult: 'exit 0',
      lastRun: '2026/11/27 13:41:02',
      location: 'nm-guard\\daily-audit',
      mechanism: 'schtasks',
      nextRun: '2026/11/28 13:41:00',
      time: '13:41',
    })
    expect(await s.remove()).to.deep.equal({location: 'nm-guard\\daily-audit', mechanism: 'schtasks', removed: true})
    expect(calls.at(-1)).to.deep.equal([schtasks, ...deleteArgs()])
    expect(deleteArgs()).to.deep.equal(['/Delete', '/TN', 'nm-guard\\daily-audit', '/F'])
    expect(queryArgs()).to.deep.equal(['/Query', '/TN', 'nm-guard\\daily-audit', '/FO', 'CSV', '/V'])
    expect(await s.remove()).to.deep.equal({location: 'nm-guard\\daily-audit', mechanism: 'schtasks', removed: false})
  })

  it('installs a per-user task when not elevated, and says so', async () => {
    const exec = fakeExec({'schtasks.exe': {code: 0, stdout: 'SUCCESS'}, 'schtasks.exe /Query /TN nm-guard\\daily-audit /FO CSV /V': {code: 1}})
    const s = win32Scheduler({admin: false, exec, fsRoot: '', home: 'C:\\Users\\张伟', uid: 0}, {now: () => NOW, tempParent: tmpdir()})
    expect(await s.install(plan())).to.include({elevated: false, replaced: false})
  })

  it('says so when schtasks refuses to create the task, and leaves no XML behind', async () => {
    const temp = mkdtempSync(join(tmpdir(), 'nmg-win-tmp-'))
    const exec = fakeExec({'schtasks.exe': {code: 1, stderr: 'ERROR: Access is denied.\r\n'}})
    const s = win32Scheduler({admin: false, exec, fsRoot: '', home: 'C:\\Users\\x', uid: 0}, {tempParent: temp})
    try {
      await s.install(plan())
      expect.fail('install succeeded')
    } catch (error) {
      expect(error).to.include({key: 'schedule.error.command'})
      expect((error as {params: {detail: string}}).params.detail).to.equal('ERROR: Access is denied.')
    }
    expect(readdirSync(temp)).to.deep.equal([])
  })

  it('refuses an install path with a %NAME% pair before touching the machine', async () => {
    const exec = fakeExec({})
    const s = win32Scheduler({admin: true, exec, fsRoot: '', home: 'C:\\Users\\x', uid: 0}, {tempParent: tmpdir()})
    try {
      await s.install(plan('09:05', {}, 'C:\\%APPDATA%\\nm-guard\\bin\\run.js'))
      expect.fail('install succeeded')
    } catch (error) {
      expect(error).to.include({key: 'schedule.error.percentPath'})
    }
    expect(exec.calls).to.deep.equal([])
  })
})
