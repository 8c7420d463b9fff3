// Times as people at the PC read them: the PC's own time zone, named, in one format for both
// languages (2026-12-03 14:05 (Asia/Shanghai, UTC+08:00)). JSON output keeps ISO UTC; this is for
// text and HTML only. `timeZone` (an IANA name) stands in for the PC's zone in tests.

export interface ZoneOption {
  /** An IANA zone; the PC's own (TZ, else the system's) when absent. */
  timeZone?: string
}

export interface LocalDate {
  year: number
  month: number
  day: number
  /** 0 Sunday … 6 Saturday. */
  weekday: number
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

/** Formatters are costly to build and a list renders many times: one per zone. */
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatter(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? ''
  let found = formatters.get(key)
  if (!found) {
    found = new Intl.DateTimeFormat('en-US', {day: '2-digit', hour: '2-digit', hourCycle: 'h23', minute: '2-digit', month: '2-digit', timeZone, timeZoneName: 'longOffset', weekday: 'short', year: 'numeric'})
    formatters.set(key, found)
  }
  return found
}

function toDate(at: Date | string): Date | null {
  const date = typeof at === 'string' ? new Date(at) : at
  return Number.isNaN(date.getTime()) ? null : date
}

function parts(date: Date, timeZone: string | undefined): Record<string, string> {
  return Object.fromEntries(formatter(timeZone).formatToParts(date).map((p) => [p.type, p.value]))
}

/** The zone's IANA name (Asia/Shanghai), as Node resolves it from TZ or the system. */
export function zoneName(options: ZoneOption = {}): string {
  // A POSIX TZ such as CST-8 resolves to no name at all.
  return formatter(options.timeZone).resolvedOptions().timeZone ?? ''
}

/** "UTC+08:00" at that instant (daylight saving included). */
function offsetText(fields: Record<string, string>): string {
  const offset = (fields.timeZoneName ?? 'GMT').replace(/^GMT/, '')
  return `UTC${offset === '' ? '+00:00' : offset}`
}

/** The zone as shown beside a time: the IANA name when there is one, and the offset. */
function zoneLabel(name: string, offset: string): string {
  if (/^(Etc\/)?(UTC|GMT|UCT|Universal|Zulu)$/i.test(name) && offset === 'UTC+00:00') return 'UTC'
  // Etc/GMT-8 means UTC+08:00: its name would only mislead.
  return name.includes('/') && !name.startsWith('Etc/') ? `${name}, ${offset}` : offset
}

/** The calendar date at that instant in the zone (for working days and due dates). */
export function localDate(at: Date, options: ZoneOption = {}): LocalDate {
  const fields = parts(at, options.timeZone)
  return {day: Number(fields.day), month: Number(fields.month), weekday: WEEKDAYS.indexOf(fields.weekday ?? ''), year: Number(fields.year)}
}

/** YYYY-MM-DD of a LocalDate. */
export const dateText = (d: Pick<LocalDate, 'day' | 'month' | 'year'>): string => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`

/** 2026-12-03 14:05 (Asia/Shanghai, UTC+08:00); text that is no time is returned as it was. */
export function formatLocalTime(at: Date | string, options: ZoneOption = {}): string {
  const date = toDate(at)
  if (!date) return String(at)
  const fields = parts(date, options.timeZone)
  return `${fields.year}-${fields.month}-${fields.day} ${fields.hour}:${fields.minute} (${zoneLabel(zoneName(options), offsetText(fields))})`
}

/** 2026-12-03 in the zone; text that is no time is returned as it was. */
export function formatLocalDate(at: Date | string, options: ZoneOption = {}): string {
  const date = toDate(at)
  return date ? dateText(localDate(date, options)) : String(at)
}

/** A time of day the PC's clock runs by (a schedule's 12:30), with the zone named: 12:30 (Asia/Shanghai, UTC+08:00). */
export function formatClockTime(hhmm: string, options: ZoneOption & {now?: Date} = {}): string {
  const fields = parts(options.now ?? new Date(), options.timeZone)
  return `${hhmm} (${zoneLabel(zoneName(options), offsetText(fields))})`
}
