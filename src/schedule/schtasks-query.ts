// Reading `schtasks /Query /TN … /V`: the CSV or LIST record of one task, in whatever language the
// headers are printed (they are translated; the order of the fields is not), into the status
// fields `schedule status` shows. Pure: tested on real zh-CN captures.
import {formatTime} from './plan.js'
import type {PlatformStatus} from './types.js'

/** SCHED_S_TASK_HAS_NOT_RUN: the Last Result of a task that never ran (0x41303). */
export const NOT_RUN = 0x41303

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

/**
 * Field positions of `/V` output, the same in CSV columns and LIST lines. The names are translated
 * (下次运行时间, Next Run Time…), their order is not. Fields 0–6 come before any free text (the
 * comment may span lines in LIST), so their positions are safe; Start Time is looked up by label first.
 */
const FIELD = {hostName: 0, taskName: 1, nextRun: 2, lastRun: 5, lastResult: 6, startTime: 19} as const
const START_TIME_LABELS = ['start time', '开始时间', '開始時間']

/** The record of `/FO LIST /V`: each line's label and value, from the host name line on. */
function listRecord(text: string): Array<{label: string; value: string}> | null {
  const raw = text.split(/\r?\n/)
  const lines = raw.map((line) => {
    // The first colon ends the label: the labels we read by position have none inside.
    const m = /^([^:：]*)[:：][ \t]*(.*)$/.exec(line)
    return m ? {label: (m[1] ?? '').trim(), value: (m[2] ?? '').trim()} : null
  })
  // The task name line is the one whose value is a task path; the host name line comes just before it.
  const at = lines.findIndex((l, i) => i > 0 && l !== null && l.value.startsWith('\\') && lines[i - 1] !== null && !lines[i - 1]?.value.startsWith('\\'))
  if (at < 1) return null
  const record: Array<{label: string; value: string}> = []
  for (let i = at - 1; i < lines.length; i++) {
    const line = lines[i]
    // A blank line ends the record; a line without a colon continues the previous value (a long comment).
    if ((raw[i] ?? '').trim() === '') break
    if (line) record.push(line)
  }
  return record.length > FIELD.lastResult ? record : null
}

/** The fields of `/FO CSV /V` or `/FO LIST /V` output for the first task in it; null when it holds none. */
export function queryFields(text: string): {nextRun: string; lastRun: string; lastResult: string; startTime: string} | null {
  const firstLine = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? ''
  if (firstLine.trimStart().startsWith('"')) {
    // The data row is the first whose TaskName is a task path: this skips the header (printed again
    // before each task by some versions) in any language.
    const row = parseCsv(text).find((r) => (r[FIELD.taskName] ?? '').startsWith('\\') && r.length > FIELD.lastResult)
    if (!row) return null
    return {lastResult: row[FIELD.lastResult] ?? '', lastRun: row[FIELD.lastRun] ?? '', nextRun: row[FIELD.nextRun] ?? '', startTime: row[FIELD.startTime] ?? ''}
  }
  const record = listRecord(text)
  if (!record) return null
  const start = record.find((f) => START_TIME_LABELS.includes(f.label.toLowerCase())) ?? record[FIELD.startTime]
  return {lastResult: record[FIELD.lastResult]?.value ?? '', lastRun: record[FIELD.lastRun]?.value ?? '', nextRun: record[FIELD.nextRun]?.value ?? '', startTime: start?.value ?? ''}
}

/** "N/A", "从不", "Never", "已禁用": no digits, no time. The never-ran date (1999/11/30, 11/30/1999) too. */
export function taskTime(text: string): string | null {
  const s = text.trim().replaceAll(/\s+/g, ' ')
  if (!/\d/.test(s)) return null
  // Task Scheduler's "never" in every date order: 30 November 1999, at midnight.
  if (/\b1999\b/.test(s) && /\b11\b/.test(s) && /\b30\b/.test(s)) return null
  return s
}

/** "3", "-2147024891", "0x80070005", "267011" → the unsigned 32-bit result code; null when it is none. */
export function resultCode(text: string): number | null {
  const s = text.trim()
  const hex = /0x([0-9a-f]{1,8})\b/i.exec(s)
  if (hex) return Number.parseInt(hex[1] ?? '', 16)
  const dec = /^-?\d{1,10}$/.exec(s)
  if (!dec) return null
  const n = Number(s)
  if (n < -0x8000_0000 || n > 0xffff_ffff) return null
  return n < 0 ? n + 0x1_0000_0000 : n
}

/** A process exit code as "exit N"; an HRESULT or SCHED_S_* status in hex, as Microsoft documents them. */
export const formatResult = (code: number): string => (code <= 0xff ? `exit ${code}` : `0x${code.toString(16).toUpperCase()}`)

/** "12:41:00", "1:41:00 PM", "下午 1:41:00" → "13:41": the Start Time follows the locale's clock. */
export function clockTime(text: string): string | null {
  const m = /(\d{1,2}):(\d\d)(?::\d\d)?/.exec(text)
  if (!m) return null
  let hour = Number(m[1])
  if (hour > 23 || Number(m[2]) > 59) return null
  if (/PM|下午|晚上|中午/i.test(text) && hour < 12) hour += 12
  if (/AM|上午|凌晨|早上/i.test(text) && hour === 12) hour = 0
  return formatTime({hour, minute: Number(m[2])})
}

/** `schtasks /Query /V` output (CSV or LIST, any language) → the status fields; null when it holds no task. */
export function parseQuery(text: string): Pick<PlatformStatus, 'lastResult' | 'lastRun' | 'nextRun' | 'time'> | null {
  const f = queryFields(text)
  if (!f) return null
  const code = resultCode(f.lastResult)
  const ran = code !== null && code !== NOT_RUN
  const nextRun = taskTime(f.nextRun)
  // The date part of "2023/10/25 4:39:04" holds no colon: the clock is the part after the last space.
  const time = clockTime(f.startTime) ?? (nextRun === null ? null : clockTime(nextRun.slice(nextRun.search(/\s\S*:/) + 1)))
  return {
    lastResult: ran ? formatResult(code) : null,
    lastRun: ran ? taskTime(f.lastRun) : null,
    nextRun,
    time,
  }
}
