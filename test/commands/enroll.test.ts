import {mkdtempSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {runCli} from '../helpers/run-cli.js'
import {TEST_TOKEN, TestCa, TestCollector} from '../helpers/test-collector.js'

describe('nm-guard enroll (CLI)', function () {
  this.timeout(60_000)
  const collector = new TestCollector()
  before(() => collector.start())
  after(() => collector.stop())

  it('enrolls, prints the agent id and neither the token nor the key', async () => {
    const state = mkdtempSync(join(tmpdir(), 'nmg-enroll-'))
    const r = await runCli(['enroll', collector.url, '--token', TEST_TOKEN, '--ca-fingerprint', collector.ca.fingerprint, '--json'], {env: {NMG_STATE_DIR: state}})
    expect(r.code).to.equal(0)
    const envelope = JSON.parse(r.stdout)
    expect(envelope.status).to.equal(0)
    expect(envelope.result).to.have.keys('agent_id', 'url', 'ca_fingerprint', 'enrolled_at')
    const output = r.stdout + r.stderr
    expect(output).to.not.include(TEST_TOKEN).and.not.include('PRIVATE KEY')
    if (process.platform !== 'win32') expect(statSync(join(state, 'agent', 'agent.key.pem')).mode & 0o777).to.equal(0o600)
    expect(readFileSync(join(state, 'agent', 'enrollment.json'), 'utf8')).to.not.include(TEST_TOKEN)

    const again = await runCli(['enroll', collector.url, '--token', TEST_TOKEN, '--ca-fingerprint', collector.ca.fingerprint], {env: {NMG_STATE_DIR: state}})
    expect(again.code).to.equal(1)
    expect(again.stderr).to.match(/already enrolled; use --force/)
  })

  it('refuses a wrong fingerprint with exit 1 and never sends the token', async () => {
    const before = collector.bodies.length
    const r = await runCli(['enroll', collector.url, '--token', TEST_TOKEN, '--ca-fingerprint', new TestCa().fingerprint], {env: {NMG_STATE_DIR: mkdtempSync(join(tmpdir(), 'nmg-enroll-'))}})
    expect(r.code).to.equal(1)
    expect(r.stderr.trim().split('\n')).to.have.length(1)
    expect(r.stderr).to.match(/Refused: .* the token was not sent/)
    expect(r.stderr).to.not.include(TEST_TOKEN)
    expect(collector.bodies.length).to.equal(before)
  })

  it('rejects a malformed fingerprint as usage (exit 2)', async () => {
    const r = await runCli(['enroll', collector.url, '--token', TEST_TOKEN, '--ca-fingerprint', 'zz'], {env: {NMG_STATE_DIR: mkdtempSync(join(tmpdir(), 'nmg-enroll-'))}})
    expect(r.code).to.equal(2)
    expect(r.stderr).to.match(/64 hex digits/)
  })
})
