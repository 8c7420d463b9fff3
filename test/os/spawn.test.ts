import {expect} from 'chai'

import {exec, execOk} from '../../src/os/spawn.js'
import {FactError} from '../../src/os/fact-error.js'

describe('exec', () => {
  it('runs a program with an argument array, no shell', async () => {
    const r = await exec('printf', ['%s|', 'a b', '$HOME;', '*'])
    expect(r.stdout).to.equal('a b|$HOME;|*|')
    expect(r.code).to.equal(0)
  })

  it('names a missing program', async () => {
    try {
      await exec('nm-guard-no-such-tool', [])
      expect.fail('ran a missing tool')
    } catch (error) {
      expect(error).to.be.instanceOf(FactError).with.property('kind', 'missing_tool')
      expect((error as Error).message).to.equal('nm-guard-no-such-tool not found')
    }
  })

  it('kills a program that overruns its timeout', async () => {
    const started = Date.now()
    const result = await exec('sleep', ['5'], {timeoutMs: 100}).catch((e: FactError) => e)
    expect(result).to.be.instanceOf(FactError).with.property('kind', 'timeout')
    expect(Date.now() - started).to.be.lessThan(2000)
  })

  it('execOk turns a failure into a reason quoting stderr, spotting permission errors', async () => {
    const failed = await execOk(exec, 'sh', ['-c', 'echo "nft: Operation not permitted" >&2; exit 1']).catch((e: FactError) => e)
    expect(failed).to.be.instanceOf(FactError).with.property('kind', 'permission')
    expect((failed as Error).message).to.match(/exited 1: nft: Operation not permitted/)
  })
})
