import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {cachedFact, fileFingerprint} from '../../src/facts/fact-cache.js'

describe('fact cache', () => {
  it('reuses a value while the fingerprint holds and recomputes when it changes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nmg-cache-'))
    let calls = 0
    const compute = async () => ++calls
    expect(await cachedFact(dir, 'apt pending', 'f1', compute)).to.equal(1)
    expect(await cachedFact(dir, 'apt pending', 'f1', compute)).to.equal(1)
    expect(await cachedFact(dir, 'apt pending', 'f2', compute)).to.equal(2)
    expect(calls).to.equal(2)
  })

  it('still computes when the state dir cannot be written', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nmg-ro-')), 'a-file')
    writeFileSync(file, '')
    expect(await cachedFact(join(file, 'state'), 'k', 'f', async () => 7)).to.equal(7)
  })

  it('fingerprints files and directory entries, including ones that appear later', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nmg-fp-'))
    const status = join(dir, 'status')
    writeFileSync(status, 'a')
    const lists = join(dir, 'lists')
    const before = await fileFingerprint([status, lists])
    expect(await fileFingerprint([status, lists])).to.equal(before)
    writeFileSync(lists, 'now here')
    const appeared = await fileFingerprint([status, lists])
    expect(appeared).not.to.equal(before)
    writeFileSync(status, 'ab')
    expect(await fileFingerprint([status, lists])).not.to.equal(appeared)
  })
})
