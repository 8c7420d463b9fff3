import {expect} from 'chai'
import {PassThrough, Readable} from 'node:stream'

import {readCappedBody} from '../../../src/collector/http/request-body.js'

function stream(...chunks: string[]): PassThrough {
  const s = new PassThrough()
  for (const c of chunks) s.write(c)
  s.end()
  return s
}

describe('readCappedBody', () => {
  it('returns the whole body when it fits, up to the cap exactly', async () => {
    expect((await readCappedBody(stream('ab', 'cd'), 4))?.toString('utf8')).to.equal('abcd')
  })

  it('returns null as soon as the body passes the cap, and reads no further', async () => {
    // A client pushing without end: 64 KiB chunks, as long as anyone reads them.
    let pulled = 0
    const endless = new Readable({
      read() {
        pulled += 65_536
        this.push(Buffer.alloc(65_536))
      },
    })
    expect(await readCappedBody(endless, 1_000_000)).to.equal(null)
    await new Promise((resolve) => setTimeout(resolve, 50))
    // The cap plus what the stream had buffered, not the client's gigabytes.
    expect(pulled).to.be.below(2_000_000)
    endless.destroy()
  })

  it('rejects when the stream fails', async () => {
    const s = new PassThrough()
    const read = readCappedBody(s, 10)
    s.destroy(new Error('reset'))
    let error: unknown
    try {
      await read
    } catch (error_) {
      error = error_
    }
    expect((error as Error).message).to.equal('reset')
  })
})
