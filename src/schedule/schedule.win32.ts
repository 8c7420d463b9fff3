// Windows: a Task Scheduler task made with schtasks.exe, running a small .cmd wrapper. The wrapper
// carries NMG_STATE_DIR / NMG_CONFIG_DIR (schtasks cannot set a task's environment) and keeps /TR
// under its 261-character limit whatever the install path.
import {existsSync, mkdirSync, rmSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {UserError} from '../cli/user-error.js'
import {decodeText} from '../os/decode-text.js'
import {FactError} from '../os/fact-error.js'
import {formatTime, shiftTime} from './plan.js'
import type {InstallOutcome, RemoveOutcome, SchedulePlan, Scheduler, SchedulerEnv, ScheduleStatus} from './types.js'

export const TASK_NAME = 'nm-guard\\daily-audit'
/** SCHED_S_TASK_HAS_NOT_RUN: what "Last Result" says before the first run. */
const NOT_RUN = '267011'

/** A word inside a .cmd file: `%` doubled so cmd does not expand it, quoted when it has spaces or metacharacters. */
export function cmdQuote(word: string): string {
  const s = word.replaceAll('%', '%%')
  return /[\s&|<>^()"]/.test(s) ? `"${s}"` : s
}

export function wrapperScript(plan: SchedulePlan): string {
  const lines = ['@echo off', 'rem Written by `nm-guard schedule install`: run it again to change, `nm-guard schedule remove` to delete.']
  // `set "NAME=value"` keeps & | < > ^ in the value literal.
  for (const [name, value] of Object.entries(plan.env)) lines.push(`set "${name}=${value.replaceAll('%', '%%')}"`)
  lines.push(`${plan.command.map(cmdQuote).join(' ')} >nul`, 'exit /b %ERRORLEVEL%', '')
  return lines.join('\r\n')
}

/**
 * The schtasks /Create arguments. The per-host offset stands in for a random delay, which
 * schtasks /Create cannot set (only a task XML can): it spreads a fleet's posts to the collector.
 */
export function createArgs(plan: SchedulePlan, wrapperPath: string, elevated: boolean): string[] {
  const tr = /\s/.test(wrapperPath) ? `"${wrapperPath}"` : wrapperPath
  const args = ['/Create', '/TN', TASK_NAME, '/TR', tr, '/SC', 'DAILY', '/ST', formatTime(shiftTime(plan.time, plan.offsetMinutes)), '/F']
  // Elevated: run as SYSTEM whether or not anyone is logged on (and audit what needs admin).
  if (elevated) args.push('/RU', 'SYSTEM')
  return args
}

export const deleteArgs = (): string[] => ['/Delete', '/TN', TASK_NAME, '/F']
export const queryArgs = (): string[] => ['/Query', '/TN', TASK_NAME, '/FO', 'CSV', '/V']

/** RFC 4180-style CSV (quoted fields, "" escapes) as schtasks writes it. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++
      row.push(field)
      if (row.some((f) => f !== '')) rows.push(row)
      row = []
      field = ''
    } else field += c
  }
  row.push(field)
  if (row.some((f) => f !== '')) rows.push(row)
  return rows
}

// Columns by position: the header names are translated on a Chinese Windows, their order is not.
const COL = {nextRun: 2, lastRun: 5, lastResult: 6, startTime: 19} as const

/** `schtasks /Query /FO CSV /V` output → the status fields; null when it holds no task row. */
export function parseQuery(text: string): {time: string | null; nextRun: string | null; lastResult: string | null} | null {
  const rows = parseCsv(text)
  const header = rows[0]
  // /V repeats the header before each task in some versions; the data row is the first non-header.
  const row = rows.find((r, i) => i > 0 && header !== undefined && r[0] !== header[0])
  if (!row || row.length <= COL.startTime) return null
  const start = clockTime(row[COL.startTime] ?? '')
  const next = row[COL.nextRun]?.trim() ?? ''
  const result = row[COL.lastResult]?.trim() ?? ''
  return {
    // "N/A" (or its translation) has no digits.
    nextRun: /\d/.test(next) ? next : null,
    lastResult: result === '' || result === NOT_RUN ? null : `exit ${result} (${row[COL.lastRun]?.trim() ?? ''})`,
    time: start,
  }
}

/** "12:41:00", "1:41:00 PM", "下午 1:41:00" → "13:41": the Start Time column follows the locale's clock. */
export function clockTime(text: string): string | null {
  const m = /(\d{1,2}):(\d\d)/.exec(text)
  if (!m) return null
  let hour = Number(m[1])
  if (/PM|下午|晚上/i.test(text) && hour < 12) hour += 12
  if (/AM|上午|凌晨/i.test(text) && hour === 12) hour = 0
  return formatTime({hour, minute: Number(m[2])})
}

export function win32Scheduler(env: SchedulerEnv, stateDir: string): Scheduler {
  const wrapperPath = join(stateDir, 'schedule', 'daily-audit.cmd')
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
  const fail = (args: string[], r: {stderr: string}): UserError =>
    new UserError('schedule.error.command', {command: ['schtasks', ...args].join(' '), detail: r.stderr.trim().split('\n')[0] ?? ''})
  return {
    async install(plan: SchedulePlan): Promise<InstallOutcome> {
      const replaced = (await query()) !== null
      mkdirSync(join(stateDir, 'schedule'), {recursive: true})
      writeFileSync(wrapperPath, wrapperScript(plan))
      const args = createArgs(plan, wrapperPath, env.admin)
      const r = await schtasks(args)
      if (r.code !== 0) throw fail(args, r)
      return {...base, replaced, time: formatTime(shiftTime(plan.time, plan.offsetMinutes))}
    },
    async remove(): Promise<RemoveOutcome> {
      if ((await query()) === null) return {...base, removed: false}
      const r = await schtasks(deleteArgs())
      if (r.code !== 0) throw fail(deleteArgs(), r)
      if (existsSync(wrapperPath)) rmSync(wrapperPath)
      return {...base, removed: true}
    },
    async status(): Promise<ScheduleStatus> {
      const q = await query()
      return q === null ? {...base, installed: false, lastResult: null, nextRun: null, time: null} : {...base, installed: true, ...q}
    },
  }
}
