// Windows: a Task Scheduler task registered from its XML (`schtasks /Create /XML`), running
// node.exe directly with bin/run.js and its arguments. No .cmd wrapper: cmd.exe reads a .cmd in the
// ANSI code page (CP936 on a Chinese PC), which garbles a path like C:\Users\张伟\; the XML is
// UTF-16, and node gets its argv from the task as Unicode. The XML also sets what schtasks' own
// flags cannot: catch up a run missed while the PC was off, no run on top of a running one, a time
// limit, a hidden task, and running on battery.
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {dirFlagArgs} from '../cli/dir-flags.js'
import {UserError} from '../cli/user-error.js'
import {decodeText} from '../os/decode-text.js'
import {FactError} from '../os/fact-error.js'
import {quoteWindowsArg} from '../os/windows-command-line.js'
import {formatTime, shiftTime} from './plan.js'
import {parseQuery} from './schtasks-query.js'
import type {InstallOutcome, PlatformScheduler, PlatformStatus, RemoveOutcome, SchedulePlan, SchedulerEnv, TimeOfDay} from './types.js'

export const TASK_NAME = 'nm-guard\\daily-audit'
export const TASK_NAMESPACE = 'http://schemas.microsoft.com/windows/2004/02/mit/task'
/** LocalSystem's SID: the elevated task runs as SYSTEM, in session 0, whether or not anyone is logged on. */
export const SYSTEM_SID = 'S-1-5-18'
/** A daily audit takes seconds to a few minutes; a hung one is stopped before the next day's. */
export const TIME_LIMIT = 'PT30M'

/** Element text: quotes stay as they are (they matter to the command line, and need no escape there). */
const xml = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

/** What the task starts: node.exe, and bin/run.js with its arguments plus the state and config folders. */
export function taskArgv(plan: SchedulePlan): {command: string; args: string[]} {
  const [command = '', ...args] = plan.command
  return {args: [...args, ...dirFlagArgs(plan.env)], command}
}

/** The <Arguments> text: quoted as CreateProcess' parsers (CommandLineToArgvW, the C runtime) split it back. */
export const taskArguments = (args: readonly string[]): string => args.map(quoteWindowsArg).join(' ')

/**
 * Task Scheduler expands %NAME% in an Exec action's command and arguments, with no way to escape
 * it: a path holding such a pair could run something else. Refused rather than mangled.
 */
export const hasExpandable = (word: string): boolean => /%[^%\s]+%/.test(word)

/**
 * The next local date at which `time` comes: today if it is still ahead, else tomorrow. A start
 * boundary in the past could count as a missed run and, with StartWhenAvailable, start at once.
 */
export function startBoundary(time: TimeOfDay, now: Date): string {
  const at = new Date(now.getFullYear(), now.getMonth(), now.getDate(), time.hour, time.minute, 0, 0)
  if (at.getTime() <= now.getTime()) at.setDate(at.getDate() + 1)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:00`
}

/**
 * The task definition (Task Scheduler schema 1.2, Windows 7 and later). Element order follows the
 * schema's sequences (triggerBaseType, calendarTriggerType, execType). The per-host offset is in the
 * start time rather than a RandomDelay: the delay would differ every day, and `schedule status`
 * could then not say when the audit runs.
 */
export function taskXml(plan: SchedulePlan, options: {elevated: boolean; now: Date}): string {
  const {command, args} = taskArgv(plan)
  const principal = options.elevated
    ? // SYSTEM runs in session 0: no window ever reaches the user's desktop.
      [`      <UserId>${SYSTEM_SID}</UserId>`, '      <RunLevel>HighestAvailable</RunLevel>']
    : // The installing user, only while logged on (no password is stored), with their normal rights.
      ['      <LogonType>InteractiveToken</LogonType>', '      <RunLevel>LeastPrivilege</RunLevel>']
  const lines = [
    '<?xml version="1.0" encoding="UTF-16"?>',
    `<Task version="1.2" xmlns="${TASK_NAMESPACE}">`,
    '  <RegistrationInfo>',
    '    <Author>nm-guard</Author>',
    '    <Description>nm-guard daily compliance audit and report. Written by `nm-guard schedule install`: run it again to change, `nm-guard schedule remove` to delete.</Description>',
    `    <URI>\\${xml(TASK_NAME)}</URI>`,
    '  </RegistrationInfo>',
    '  <Triggers>',
    '    <CalendarTrigger>',
    // Enabled is left to its default (true): the schema puts it before StartBoundary, exports after.
    `      <StartBoundary>${startBoundary(shiftTime(plan.time, plan.offsetMinutes), options.now)}</StartBoundary>`,
    '      <ScheduleByDay>',
    '        <DaysInterval>1</DaysInterval>',
    '      </ScheduleByDay>',
    '    </CalendarTrigger>',
    '  </Triggers>',
    '  <Principals>',
    '    <Principal id="Author">',
    ...principal,
    '    </Principal>',
    '  </Principals>',
    '  <Settings>',
    // A run still going (a slow collector) is left alone rather than doubled.
    '    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>',
    // Laptops: the defaults would skip the audit on battery and kill it when unplugged.
    '    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>',
    '    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>',
    '    <AllowHardTerminate>true</AllowHardTerminate>',
    // Office PCs are off at lunch or on leave: the missed run happens as soon as the PC is back.
    '    <StartWhenAvailable>true</StartWhenAvailable>',
    // Offline, the report goes to the queue and is sent with the next run.
    '    <RunOnlyIfNetworkAvailable>false</RunOnlyIfNetworkAvailable>',
    '    <AllowStartOnDemand>true</AllowStartOnDemand>',
    '    <Enabled>true</Enabled>',
    '    <Hidden>true</Hidden>',
    '    <RunOnlyIfIdle>false</RunOnlyIfIdle>',
    '    <WakeToRun>false</WakeToRun>',
    `    <ExecutionTimeLimit>${TIME_LIMIT}</ExecutionTimeLimit>`,
    '  </Settings>',
    '  <Actions Context="Author">',
    '    <Exec>',
    `      <Command>${xml(command)}</Command>`,
    `      <Arguments>${xml(taskArguments(args))}</Arguments>`,
    '    </Exec>',
    '  </Actions>',
    '</Task>',
    '',
  ]
  return lines.join('\r\n')
}

/** The file schtasks reads: UTF-16LE with its byte-order mark, as the declaration says. */
export const taskXmlBytes = (text: string): Buffer => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])

export const createArgs = (xmlPath: string): string[] => ['/Create', '/TN', TASK_NAME, '/XML', xmlPath, '/F']
export const deleteArgs = (): string[] => ['/Delete', '/TN', TASK_NAME, '/F']
export const queryArgs = (): string[] => ['/Query', '/TN', TASK_NAME, '/FO', 'CSV', '/V']

export interface Win32Options {
  /** The folder the task XML is written under (in a fresh folder of its own), see openScheduler. */
  tempParent: string
  now?: () => Date
}

export function win32Scheduler(env: SchedulerEnv, options: Win32Options): PlatformScheduler {
  const schtasks = async (args: string[]): Promise<{code: number | null; raw: Buffer; stderr: string}> => {
    try {
      return await env.exec('schtasks.exe', args, {timeoutMs: 30_000})
    } catch (error) {
      if (error instanceof FactError && error.kind === 'missing_tool') throw new UserError('schedule.error.missingTool', {tool: 'schtasks.exe'})
      throw error
    }
  }
  const base = {location: TASK_NAME, mechanism: 'schtasks' as const}
  const query = async (): Promise<ReturnType<typeof parseQuery>> => {
    const r = await schtasks(queryArgs())
    // A Chinese Windows prints the table in GBK.
    return r.code === 0 ? parseQuery(decodeText(r.raw)) : null
  }
  // schtasks writes its errors in the console code page (GBK on a Chinese PC).
  const fail = (args: string[], r: {stderr: string}): UserError =>
    new UserError('schedule.error.command', {command: ['schtasks', ...args].join(' '), detail: r.stderr.trim().split(/\r?\n/)[0] ?? ''})
  return {
    async install(plan: SchedulePlan): Promise<InstallOutcome> {
      const {command, args} = taskArgv(plan)
      const expandable = [command, ...args].find(hasExpandable)
      if (expandable !== undefined) throw new UserError('schedule.error.percentPath', {value: expandable})
      const replaced = (await query()) !== null
      // A folder of our own, made new: in %SystemRoot%\Temp when elevated, which other users cannot
      // write into, so nobody swaps the XML between writing it and schtasks reading it.
      const dir = mkdtempSync(join(options.tempParent, 'nmg-task-'))
      const file = join(dir, 'daily-audit.xml')
      try {
        writeFileSync(file, taskXmlBytes(taskXml(plan, {elevated: env.admin, now: (options.now ?? (() => new Date()))()})), {flag: 'wx', mode: 0o600})
        const r = await schtasks(createArgs(file))
        if (r.code !== 0) throw fail(createArgs(file), r)
      } finally {
        rmSync(dir, {force: true, recursive: true})
      }
      return {...base, elevated: env.admin, replaced, time: formatTime(shiftTime(plan.time, plan.offsetMinutes))}
    },
    async remove(): Promise<RemoveOutcome> {
      if ((await query()) === null) return {...base, removed: false}
      const r = await schtasks(deleteArgs())
      if (r.code !== 0) throw fail(deleteArgs(), r)
      return {...base, removed: true}
    },
    async status(): Promise<PlatformStatus> {
      const q = await query()
      return q === null ? {...base, installed: false, lastResult: null, lastRun: null, nextRun: null, time: null} : {...base, installed: true, ...q}
    },
  }
}
