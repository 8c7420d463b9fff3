import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {runCli} from '../../helpers/run-cli.js'

// Export of stored reports is exercised against a running collector in serve.test.ts.
describe('nm-guard collector export', function () {
  this.timeout(60_000)

  it('writes only the header for an empty collector, and an empty list as JSON', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nmg-cexport-')), 'collector')
    expect((await runCli(['collector', 'init', '--dir', dir, '--host', 'localhost'])).code).to.equal(0)
    expect((await runCli(['collector', 'export', '--dir', dir])).stdout).to.equal('report_id,agent_id,hostname,generated_at,score,failing\r\n')
    const json = await runCli(['collector', 'export', '--dir', dir, '--json'])
    expect((JSON.parse(json.stdout) as {result: unknown}).result).to.deep.equal([])
  })

  it('refuses an unknown --db scheme and an unreachable database with one line and exit 1', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nmg-cexport-')), 'collector')
    expect((await runCli(['collector', 'init', '--dir', dir, '--host', 'localhost'])).code).to.equal(0)
    const bad = await runCli(['collector', 'export', '--dir', dir, '--db', 'mysql://x'])
    expect([bad.code, bad.stderr.trim()]).to.deep.equal([1, 'nm-guard: --db mysql://x: use sqlite:PATH or postgres://…'])
    const down = await runCli(['collector', 'export', '--dir', dir, '--db', `postgres://u:secret@localhost/db?host=${encodeURIComponent(dir)}`])
    expect(down.code).to.equal(1)
    expect(down.stderr).to.match(/^nm-guard: cannot open the database postgres:\/\/u:\*\*\*@localhost/)
    expect(down.stderr).not.to.include('secret')
    expect(down.stderr.trim().split('\n')).to.have.length(1)
  })
})
