// Reading a request body under a size cap, shared by the agent API and the dashboard's forms.
import type {Readable} from 'node:stream'

import type {IncomingMessage, ServerResponse} from 'node:http'

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
