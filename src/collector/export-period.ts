// The period an export covers, from `?from=` and `?to=` (dates or times, `to` exclusive), by the
// time the collector received each report: the monthly assessment asks for one month. Parsed strictly; a bad value is a 400.
import {HttpError} from './http/http-error.js'
import {STATUS} from './protocol.js'
import type {ExportPeriod} from './store/types.js'

function bound(name: string, text: null | string): string | undefined {
  if (text === null || text === '') return undefined
  const at = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z)?$/.test(text) ? new Date(text.length === 10 ? `${text}T00:00:00.000Z` : text) : null
  // A date that does not exist (02-30) would roll over into the next month: refused, not moved.
  if (!at || Number.isNaN(at.getTime()) || at.toISOString().slice(0, 10) !== text.slice(0, 10)) throw new HttpError(STATUS.badRequest, `${name} must be a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDTHH:MM:SSZ)`)
  return at.toISOString()
}

export function exportPeriod(query: URLSearchParams): ExportPeriod {
  const from = bound('from', query.get('from'))
  const to = bound('to', query.get('to'))
  return {...(from ? {from} : {}), ...(to ? {to} : {})}
}
