import {expect} from 'chai'
import {PassThrough} from 'node:stream'

import {readCappedBody} from '../../src/collector/request-body.js'

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

  it('returns null for a body past the cap, after reading it to its end', async () => {
    const s = stream('abc', 'de')
    expect(await readCappedBody(s, 4)).to.equal(null)
    expect(s.readableEnded).to.equal(true)
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
