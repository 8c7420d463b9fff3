// Reading a request body under a size cap, shared by the agent API and the dashboard's forms.
import type {Readable} from 'node:stream'

/**
 * The whole body, or null when it is larger than `maxBytes`. A larger body is still read to its
 * end (so the client gets our answer instead of a reset) but none of it past the cap is kept.
 */
export function readCappedBody(req: Readable, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= maxBytes) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > maxBytes ? null : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}
