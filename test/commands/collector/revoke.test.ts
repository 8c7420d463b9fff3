import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {runCli} from '../../helpers/run-cli.js'

// The successful revocation is exercised against a running collector in serve.test.ts.
describe('nm-guard collector revoke', function () {
  this.timeout(60_000)
  let dir: string

  before(async () => {
    dir = join(mkdtempSync(join(tmpdir(), 'nmg-crevoke-')), 'collector')
    expect((await runCli(['collector', 'init', '--dir', dir, '--host', 'localhost'])).code).to.equal(0)
  })

  it('refuses something that is not an agent id with exit 2', async () => {
    const out = await runCli(['collector', 'revoke', '--dir', dir, 'pc-01'])
    expect([out.code, out.stderr.trim()]).to.deep.equal([2, 'nm-guard: not an agent id (a UUID): pc-01'])
  })

  it('reports an agent it does not know with exit 1', async () => {
    const out = await runCli(['collector', 'revoke', '--dir', dir, '0b6c3f0e-2a53-4c56-9d43-0d4b3c8f1a27'])
    expect([out.code, out.stderr.trim()]).to.deep.equal([1, 'nm-guard: no enrolled agent 0b6c3f0e-2a53-4c56-9d43-0d4b3c8f1a27'])
  })
})
