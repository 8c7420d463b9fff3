// Where a page of an agent's reports starts, as one URL-safe word: `<received_at>_<report_id>`.
// It arrives in a query string, so it is parsed strictly (a bad one is a 400, never a query).
import {HttpError} from './http/http-error.js'
import {STATUS} from './protocol.js'
import type {ReportCursor} from './store/types.js'

export const encodeCursor = (cursor: ReportCursor): string => `${cursor.received_at}_${cursor.report_id}`

export function parseCursor(text: null | string): ReportCursor | undefined {
  if (text === null || text === '') return undefined
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)_([0-9a-f-]{1,64})$/.exec(text)
  const at = match ? new Date(match[1] as string) : null
  if (!match || !at || Number.isNaN(at.getTime()) || at.toISOString() !== match[1]) throw new HttpError(STATUS.badRequest, 'before must be <received_at>_<report_id> as the previous page gave it')
  return {received_at: match[1] as string, report_id: match[2] as string}
}
