// Answers with text produced page by page (the CSV export): one page in memory at a time, and the
// writer waits for the socket to drain, so a slow client cannot make the collector buffer it all.
import {once} from 'node:events'
import type {OutgoingHttpHeaders, ServerResponse} from 'node:http'

/**
 * The first two chunks are read before the status line, so a database failure on the first page is
 * still a clean error answer; a failure later cuts the connection (a truncated export, never a
 * complete-looking one).
 */
export async function streamText(res: ServerResponse, headers: OutgoingHttpHeaders, chunks: AsyncIterable<string>): Promise<void> {
  const iterator = chunks[Symbol.asyncIterator]()
  const first: string[] = []
  for (let i = 0; i < 2; i++) {
    const next = await iterator.next()
    if (next.done) break
    first.push(next.value)
  }
  res.writeHead(200, {'cache-control': 'no-store', ...headers})
  try {
    for (const chunk of first) if (!res.write(chunk)) await once(res, 'drain')
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      if (!res.write(next.value)) await once(res, 'drain')
    }
    res.end()
  } catch (error) {
    res.destroy(error as Error)
    throw error
  }
}
