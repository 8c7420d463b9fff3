// The bounds on what the store takes and returns: no call loads every report (issue 11, 1.4), the
// export comes in pages a caller can write out one at a time, and the failed-authentication
// counts (1.8) cannot grow without limit.
import type {AuthScope, ExportPeriod, ReportCursor, ReportExportRow, ReportSummaryPage, ReportSummaryRow} from './rows.js'

/** The most report summaries one call returns, whatever the caller asks for. */
export const MAX_SUMMARY_PAGE = 200
/** The most incident notices one agent's listing returns (the newest): a real PC sends a handful. */
export const MAX_INCIDENTS = 200
/** Export rows per page: about 100 KB of CSV, one short query each. */
export const EXPORT_PAGE = 500
/** Agents per backfill batch at most. */
export const MAX_BACKFILL_BATCH = 1000
/** Distinct sources one scope's window counts on their own before they share one row. */
export const MAX_AUTH_SOURCES_PER_WINDOW = 1000
/** Longer than any address; a longer source is a caller's bug, refused before it reaches the table. */
export const MAX_AUTH_SOURCE_LENGTH = 128

export class StoreArgumentError extends Error {}

export interface StoreOptions {
  /** MAX_AUTH_SOURCES_PER_WINDOW unless a test wants to reach it sooner. */
  maxAuthSourcesPerWindow?: number
}

/** The store's own ISO form (toISOString): the only times it compares, as text, in SQL. */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

export function isoTime(value: string, what: string): string {
  if (!ISO_TIME.test(value)) throw new StoreArgumentError(`${what} must be a toISOString() time, not ${JSON.stringify(value.slice(0, 40))}`)
  return value
}

/** A limit between 1 and `max`. */
export function pageLimit(limit: number, max: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new StoreArgumentError(`limit must be a positive integer, not ${limit}`)
  return Math.min(limit, max)
}

/** Longer than any stored time or report id. */
const MAX_CURSOR_PART = 100

/** A cursor as parameters; it may come from a URL, so only its size is trusted, not its form. */
export function cursorParams(prefix: 'after' | 'before', cursor: ReportCursor): Record<string, string> {
  const part = (value: unknown, what: string): string => {
    if (typeof value !== 'string' || value.length > MAX_CURSOR_PART) throw new StoreArgumentError(`${prefix}.${what} must be a string of at most ${MAX_CURSOR_PART} characters`)
    return value
  }
  return {[`${prefix}_received_at`]: part(cursor.received_at, 'received_at'), [`${prefix}_report_id`]: part(cursor.report_id, 'report_id')}
}

/**
 * A page from rows fetched with LIMIT limit + 1: the extra row only says an older page exists,
 * which spares a count.
 */
export function summaryPage(rows: ReportSummaryRow[], limit: number): ReportSummaryPage {
  const reports = rows.slice(0, limit)
  const last = reports.at(-1)
  return {reports, older: rows.length > limit && last ? {received_at: last.received_at, report_id: last.report_id} : null}
}

// Outside any real report's time: every stored received_at is a validated toISOString().
const EARLIEST = '0000-01-01T00:00:00.000Z'
const LATEST = '9999-12-31T23:59:59.999Z'

export function periodParams(period: ExportPeriod): {from: string; to: string} {
  return {from: period.from === undefined ? EARLIEST : isoTime(period.from, 'from'), to: period.to === undefined ? LATEST : isoTime(period.to, 'to')}
}

/**
 * The export's pages, oldest first, each fetched only when the previous one was consumed: a
 * caller writing each out holds one page at a time. `fetch` returns up to `limit` rows after the
 * cursor (all from the start when it is null); a short page is the last.
 */
export async function* exportPages(fetch: (after: null | ReportCursor, limit: number) => Promise<ReportExportRow[]>, pageSize: number): AsyncGenerator<ReportExportRow[]> {
  const limit = pageLimit(pageSize, EXPORT_PAGE * 10)
  let after: null | ReportCursor = null
  for (;;) {
    const page = await fetch(after, limit)
    if (page.length > 0) yield page
    if (page.length < limit) return
    const last = page.at(-1) as ReportExportRow
    after = {received_at: last.received_at, report_id: last.report_id}
  }
}

/** Parameters of the auth_failures statements, refused when out of bounds. */
export function authParams(scope: AuthScope, source: string, windowStart: string): Record<string, string> {
  if (source.length === 0 || source.length > MAX_AUTH_SOURCE_LENGTH) throw new StoreArgumentError(`source must have 1 to ${MAX_AUTH_SOURCE_LENGTH} characters`)
  return {scope, source, window_start: isoTime(windowStart, 'windowStart')}
}
