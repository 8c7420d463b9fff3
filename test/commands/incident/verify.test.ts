import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {runCli} from '../../helpers/run-cli.js'

// The intact/tampered cases run on real evidence in test/commands/disconnect.linux-e2e.test.ts.
describe('nm-guard incident verify', () => {
  it('exits 1 with a clear line for a folder without a manifest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nmg-noevidence-'))
    const r = await runCli(['incident', 'verify', dir])
    expect(r.code).to.equal(1)
    expect(r.stderr).to.match(/manifest/)
  })

  it('exits 1 naming a folder that does not exist', async () => {
    const r = await runCli(['incident', 'verify', join(tmpdir(), 'nmg-no-such-folder-4711'), '--lang', 'zh-CN'])
    expect(r.code).to.equal(1)
    expect(r.stderr).to.contain('nmg-no-such-folder-4711 不是证据目录')
  })
})
