// Custodian and contact changes (`account edit`) and the report the plan asks for afterwards
// (二(七): 5个工作日内在全国政务新媒体信息报送系统变更相关信息). Pure: the clock and zone are given.
import type {ZoneOption} from '../i18n/local-time.js'
import {type AccountRecord, type InfoChange, type InfoField, MAX_INFO_CHANGES} from './types.js'
import {REPORT_WORKING_DAYS, workingDayAfter, workingDaysBetween} from './working-days.js'

/** The changes not yet reported, seen from `now`. */
export interface PendingReport {
  /** The newest unreported change: the reminder runs for 5 working days after it. */
  changed_at: string
  /** Every field changed since the last report. */
  fields: InfoField[]
  /** Working days (Mon–Fri) since that change. */
  working_days: number
  /** YYYY-MM-DD: the 5th working day after the oldest unreported change, the plan's deadline. */
  report_due: string
}

export function pendingReport(record: Pick<AccountRecord, 'info_changes'>, now: Date, zone: ZoneOption = {}): null | PendingReport {
  const open = record.info_changes.filter((c) => c.reported_at === null && !Number.isNaN(Date.parse(c.at)))
  const oldest = open[0]
  const newest = open.at(-1)
  if (!oldest || !newest) return null
  const fields = [...new Set(open.flatMap((c) => c.fields))]
  return {
    changed_at: newest.at,
    fields,
    report_due: workingDayAfter(new Date(oldest.at), REPORT_WORKING_DAYS, zone),
    working_days: workingDaysBetween(new Date(newest.at), now, zone),
  }
}

/** The record's changes with one more (when anything changed) and, with `reported`, every open one closed. */
export function withChange(changes: readonly InfoChange[], changed: readonly InfoField[], reported: boolean, at: string): InfoChange[] {
  const next = changed.length > 0 ? [...changes, {at, fields: [...changed], reported_at: null}] : [...changes]
  return (reported ? next.map((c) => (c.reported_at === null ? {...c, reported_at: at} : c)) : next).slice(-MAX_INFO_CHANGES)
}
