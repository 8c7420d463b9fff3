// Reading a request body under a size cap, shared by the agent API and the dashboard's forms.
import type {IncomingMessage, ServerResponse} from 'node:http'
import type {Readable} from 'node:stream'

import {STATUS} from '../protocol.js'
import {HttpError} from './http-error.js'

/**
 * The whole body, or null as soon as it passes `maxBytes`: reading stops there (a client pushing
 * gigabytes gets its answer and a closed connection, see closeAfterAnswer, not a read to the end).
 */
export function readCappedBody(req: Readable, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxBytes) {
        chunks.push(chunk)
        return
      }
      req.off('data', onData)
      req.pause()
      resolve(null)
    }
    req.on('data', onData)
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/**
 * For an answer sent while the request body is still arriving (too large, refused early): the
 * connection closes once the answer is out, so nothing more of the body is read.
 */
export function closeAfterAnswer(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('connection', 'close')
  res.once('finish', () => req.socket.destroy())
}

/** The body up to `maxBytes`; a larger one is a 413 whatever its Content-Length says. */
export async function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'])
  const body = Number.isFinite(declared) && declared > maxBytes ? null : await readCappedBody(req, maxBytes)
  if (!body) throw new HttpError(STATUS.tooLarge, `body larger than ${maxBytes} bytes`)
  return body
}

/** The parsed body and the text it was parsed from (stored as received: no second serialisation). */
export async function readJsonText(req: IncomingMessage, maxBytes: number): Promise<{text: string; value: unknown}> {
  const text = (await readBody(req, maxBytes)).toString('utf8')
  let value: unknown
  try {
    value = JSON.parse(text) as unknown
  } catch {
    throw new HttpError(STATUS.badRequest, 'body is not valid JSON')
  }
  // Refused for both backends alike: PostgreSQL would fail on it (a 500 the agent retries forever).
  // JSON can carry a NUL only as the escape \u0000 (a raw one is a parse error): walk only then.
  if (/\\u0000/i.test(text) && holdsNul(value)) throw new HttpError(STATUS.badRequest, 'NUL characters are not accepted')
  return {text, value}
}

/** Whether any string or key in a parsed JSON value holds a NUL (PostgreSQL text cannot). */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000')
  if (Array.isArray(value)) return value.some(holdsNul)
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\u0000') || holdsNul(v))
  return false
}
