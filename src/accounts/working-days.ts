// Working days for the plan's deadlines (二(七): a change reported within 5 working days), counted
// on the PC's calendar. Monday to Friday only: the repository has no calendar of public holidays
// or of the weekends worked in their place (调休), so a deadline over 国庆 comes early, never late.
import {dateText, localDate, type LocalDate, type ZoneOption} from '../i18n/local-time.js'

/** 二(七): 5个工作日内. */
export const REPORT_WORKING_DAYS = 5

const DAY_MS = 86_400_000

/** Days since 1970-01-01 of a calendar date (a Thursday: day 0 has weekday 4). */
const dayNumber = (d: Pick<LocalDate, 'day' | 'month' | 'year'>): number => Date.UTC(d.year, d.month - 1, d.day) / DAY_MS
const isWorkday = (day: number): boolean => {
  const weekday = (((day + 4) % 7) + 7) % 7
  return weekday !== 0 && weekday !== 6
}

/** Working days from `from`'s date (not counted) to `to`'s date (counted); 0 when `to` is not later. */
export function workingDaysBetween(from: Date, to: Date, zone: ZoneOption = {}): number {
  const start = dayNumber(localDate(from, zone))
  const end = dayNumber(localDate(to, zone))
  if (end <= start) return 0
  const span = end - start
  // Whole weeks hold 5 each; the rest (under 7 days) is counted one by one.
  let count = Math.floor(span / 7) * 5
  for (let day = start + Math.floor(span / 7) * 7 + 1; day <= end; day++) if (isWorkday(day)) count++
  return count
}

/** YYYY-MM-DD of the `n`th working day after `from`'s date: the last day a report is on time. */
export function workingDayAfter(from: Date, n: number, zone: ZoneOption = {}): string {
  let day = dayNumber(localDate(from, zone))
  for (let left = n; left > 0; ) {
    day++
    if (isWorkday(day)) left--
  }
  const date = new Date(day * DAY_MS)
  return dateText({day: date.getUTCDate(), month: date.getUTCMonth() + 1, year: date.getUTCFullYear()})
}
