import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {expect} from 'chai'

import {readTail} from '../../../src/incident/evidence/item.js'
import {useTempDir} from './evidence-helpers.js'

describe('evidence item helpers', () => {
  const tmp = useTempDir('ev-item')

  it('keeps the last bytes of a log, starting at a whole line', async () => {
    const file = join(tmp.path, 'auth.log')
    writeFileSync(file, 'first line\nsecond line\nthird\n')
    expect((await readTail(file, 14)).toString()).to.equal('third\n')
    expect((await readTail(file, 1000)).toString()).to.equal('first line\nsecond line\nthird\n')
    writeFileSync(file, 'no newline at all')
    expect((await readTail(file, 5)).toString()).to.equal('t all')
  })
})
