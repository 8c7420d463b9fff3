// `audit --asset` and the report fields of the printed report (asset, people): bounded input, the
// agent.conf fallback on a live audit only, and the report@1 schema still taking old reports.
import {chmodSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {schemaValidator} from '../../src/collector/http/json-schema.js'
import {compliantFacts} from '../helpers/facts-builder.js'
import {runCli, tempFile} from '../helpers/run-cli.js'

const validate = schemaValidator('report.schema.json', 'nm-guard/report@1')

describe('nm-guard audit --asset (CLI)', function () {
  this.timeout(120_000)
  const clean = tempFile('asset-clean.json', compliantFacts('win32'))
  const dir = mkdtempSync(join(tmpdir(), 'nmg-audit-asset-'))
  const conf = join(dir, 'agent.conf')
  writeFileSync(conf, 'COLLECTOR_URL=https://c.example\nASSET_NUMBER=GC-ZC-0042\n')
  chmodSync(conf, 0o600)
  const env = {NMG_AGENT_CONF: conf, NMG_STATE_DIR: join(dir, 'state')}

  it('carries --asset and the people in the report, which still matches report@1, as a report without them does', async () => {
    const r = await runCli(['audit', '--facts', clean, '--format', 'json', '--asset', ' GC-ZC-0001 '], {env})
    const report = JSON.parse(r.stdout)
    expect(report.asset).to.equal('GC-ZC-0001')
    expect(report.people).to.deep.equal({custodians: ['张三', '李四'], pc_users: []})
    expect(validate(report)).to.equal(null)
    const {asset: _asset, people: _people, ...old} = report
    expect(validate(old)).to.equal(null)
    expect(validate({...report, asset: 'GC\n1'})).to.match(/\/asset/)
    expect(validate({...report, asset: 'x'.repeat(65)})).to.match(/\/asset/)
  })

  it('does not take agent.conf\'s asset number for a snapshot, which may come from another PC', async () => {
    const r = await runCli(['audit', '--facts', clean, '--format', 'json'], {env})
    expect(JSON.parse(r.stdout).asset).to.equal(null)
  })

  it('takes ASSET_NUMBER from agent.conf on a live audit, and prints it on the HTML report', async () => {
    const out = join(dir, 'live.html')
    const r = await runCli(['audit', '--format', 'html', '--output', out, '--lang', 'zh-CN'], {env})
    expect([0, 3]).to.include(r.code)
    expect(readFileSync(out, 'utf8')).to.include('<td>资产编号</td><td>GC-ZC-0042</td>')
  })

  it('refuses an unprintable or overlong --asset: exit 2, one line, the value not echoed', async () => {
    for (const [value, pattern] of [
      ['GC-1\u0007forged', /--asset must be printable/],
      ['x'.repeat(65), /--asset is too long: at most 64 characters/],
    ] as const) {
      const r = await runCli(['audit', '--facts', clean, '--format', 'json', '--asset', value], {env})
      expect(r.code).to.equal(2)
      expect(r.stderr.trim().split('\n')).to.have.length(1)
      expect(r.stderr).to.match(pattern).and.not.include(value)
    }
  })
})
