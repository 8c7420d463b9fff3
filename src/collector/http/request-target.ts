// The request target, parsed defensively: a target or escape that is not valid is the client's
// mistake (a 400), never a crash.
import {STATUS} from '../protocol.js'
import {HttpError} from './http-error.js'

/** The path of a request target; a target that is no URL (`GET http://[`) is a 400. */
export function requestUrl(target: string | undefined): URL {
  try {
    return new URL(target ?? '/', 'https://collector')
  } catch {
    throw new HttpError(STATUS.badRequest, 'the request target is not a valid URL')
  }
}

/** A %-encoded path segment; a broken escape (`%E0%A4%A`) is a 400. */
export function decodePathPart(part: string): string {
  try {
    return decodeURIComponent(part)
  } catch {
    throw new HttpError(STATUS.badRequest, 'the path has an invalid %-escape')
  }
}
