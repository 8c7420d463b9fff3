// audit --facts on recorded Windows snapshots (built from the win32 parser fixtures): the dirty PC
// is flagged for each of its problems, the clean one for none, and the Douyin/Kuaishou clients never.
import {expect} from 'chai'

import {runCli} from '../helpers/run-cli.js'
import {SAMPLE_POLICY_ARGS} from '../helpers/sample-policy.js'

interface Result {
  id: string
  status: string
  evidence: {rules: Array<{fact: string; matched: Array<Record<string, unknown>>; not_matched: Array<Record<string, unknown>>}>}
}

async function auditSnapshot(name: string): Promise<{code: number | null; results: Result[]}> {
  // The snapshots are PCs of the sample district: its policy has their networks.
  const r = await runCli(['audit', '--facts', `test/fixtures/win32/${name}`, '--format', 'json', ...SAMPLE_POLICY_ARGS])
  return {code: r.code, results: (JSON.parse(r.stdout) as {results: Result[]}).results}
}

const byStatus = (results: Result[], status: string) => results.filter((r) => r.status === status).map((r) => r.id)
const evidenceText = (r: Result | undefined) => JSON.stringify(r?.evidence ?? {})

describe('nm-guard audit --facts on Windows snapshots', function () {
  this.timeout(60_000)

  it('flags the remote-control tool, the activator, stale patches, disabled antivirus and a forced weak password on the dirty PC', async () => {
    const {code, results} = await auditSnapshot('snapshot-dirty.json')
    expect(code).to.equal(3)
    expect(byStatus(results, 'fail').sort()).to.deep.equal(['account-passwords-strong', 'antivirus-active', 'no-kms-activator-traces', 'no-password-files', 'no-remote-control-tools', 'office-genuine', 'patched-recently'])
    expect(byStatus(results, 'error')).to.deep.equal([])
    const find = (id: string) => results.find((r) => r.id === id)
    expect(evidenceText(find('no-remote-control-tools'))).to.match(/向日葵|Sunlogin/i)
    expect(evidenceText(find('no-kms-activator-traces'))).to.include('kms.03k.org').and.match(/KMSpico/i)
    expect(find('patched-recently')?.evidence.rules[0]?.not_matched[0]).to.include({days_since_patch: 75})
    expect(find('account-passwords-strong')?.evidence.rules[0]?.matched).to.deep.equal([{account: '藁城发布', forced: true, platform: 'weibo', strength_score: 1, weak_reasons: ['unit-year']}])
  })

  it('flags nothing on the clean PC', async () => {
    const {code, results} = await auditSnapshot('snapshot-clean.json')
    expect(byStatus(results, 'fail')).to.deep.equal([])
    expect(byStatus(results, 'error')).to.deep.equal([])
    expect(code).to.equal(0)
  })

  it('never names the Douyin or Kuaishou clients in a failing check', async () => {
    for (const snapshot of ['snapshot-dirty.json', 'snapshot-clean.json']) {
      const {results} = await auditSnapshot(snapshot)
      for (const r of results.filter((x) => x.status === 'fail')) expect(evidenceText(r), `${snapshot} ${r.id}`).not.to.match(/douyin|抖音|kuaishou|快手/i)
    }
  })
})

describe('nm-guard audit --replay on a Windows recording', function () {
  this.timeout(60_000)

  it('audits the recorded PC, not this one, through the live parsers', async () => {
    const r = await runCli(['audit', '--replay', 'test/fixtures/win32/recordings/dirty', '--format', 'json'])
    expect(r.code, r.stderr).to.equal(3)
    const report = JSON.parse(r.stdout) as {agent: {hostname: string; platform: string}; results: Result[]}
    expect(report.agent).to.include({hostname: 'GCXMT-PC01', platform: 'win32'})
    const failed = byStatus(report.results, 'fail')
    expect(failed).to.include.members(['no-remote-control-tools', 'no-kms-activator-traces', 'patched-recently'])
    // Read from files on the PC: a recording cannot judge them, and says so instead of passing.
    expect(report.results.find((x) => x.id === 'no-password-files')?.status).to.equal('error')
    expect(report.results.find((x) => x.id === 'account-passwords-strong')?.status).to.equal('error')
  })

  it('refuses a folder that is not a recording, in the user’s language', async () => {
    const r = await runCli(['audit', '--replay', 'test/fixtures/win32', '--lang', 'zh-CN'])
    expect(r.code).to.equal(1)
    expect(r.stderr).to.contain('不是一份检查记录')
  })
})
