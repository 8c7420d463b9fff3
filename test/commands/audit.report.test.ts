// `audit --report` and `report [--flush]` against a real mutual-TLS collector on loopback.
import {spawn} from 'node:child_process'
import {copyFileSync, mkdtempSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {addRows, compliantFacts} from '../helpers/facts-builder.js'
import {DEV_BIN, ROOT, runCli, tempFile} from '../helpers/run-cli.js'
import {SAMPLE_POLICY} from '../helpers/sample-policy.js'
import {TEST_TOKEN, TestCollector} from '../helpers/test-collector.js'

const proc = (name: string) => ({name, path: null, pid: 9, user: null})
const queued = (state: string) => readdirSync(join(state, 'queue')).filter((name) => name.endsWith('.json'))

describe('nm-guard audit --report and report (CLI)', function () {
  this.timeout(120_000)
  const collector = new TestCollector()
  const clean = tempFile('clean.json', compliantFacts('win32'))
  const dirty = tempFile('dirty.json', addRows(compliantFacts('win32'), 'processes', proc('ToDesk.exe')))
  const outputs: string[] = []
  let state: string
  let agentId: string
  const cli = async (args: string[]) => {
    const r = await runCli(args, {env: {NMG_COLLECTOR_TIMEOUT_MS: '2000', NMG_STATE_DIR: state}})
    outputs.push(r.stdout, r.stderr)
    return r
  }

  before(async () => {
    await collector.start()
    state = mkdtempSync(join(tmpdir(), 'nmg-report-'))
    // The district's own policy, where audit finds it without --policy: the sample district's networks.
    copyFileSync(SAMPLE_POLICY, join(state, 'policy.yaml'))
    const r = await cli(['enroll', collector.url, '--token', TEST_TOKEN, '--ca-fingerprint', collector.ca.fingerprint, '--json'])
    expect(r.code, r.stderr).to.equal(0)
    agentId = JSON.parse(r.stdout).result.agent_id
  })
  after(() => collector.stop())

  it('sends the report with the enrolled agent id and keeps the audit exit code', async () => {
    const r = await cli(['audit', '--facts', dirty, '--format', 'json', '--report'])
    expect(r.code, r.stderr).to.equal(3)
    const report = JSON.parse(r.stdout)
    expect(report.agent.id).to.equal(agentId)
    expect(collector.stored).to.include(report.report_id)
    expect(queued(state)).to.deep.equal([])
  })

  it('exits 4 when the collector is down, prints the audit anyway, and flushes oldest first later', async () => {
    const {port} = collector
    await collector.stop()
    const first = await cli(['audit', '--facts', dirty, '--format', 'json', '--report'])
    expect(first.code).to.equal(4)
    expect(first.stderr).to.match(/unreachable \(ECONNREFUSED\); 1 report\(s\) kept in the offline queue/)
    const firstId = JSON.parse(first.stdout).report_id
    const second = await cli(['audit', '--facts', clean, '--format', 'json', '--report'])
    expect(second.code).to.equal(4)
    const secondId = JSON.parse(second.stdout).report_id
    expect(queued(state)).to.have.length(2)

    const status = await cli(['report', '--json'])
    expect(status.code).to.equal(0)
    expect(JSON.parse(status.stdout).result).to.include({queued: 2, rejected: 0})

    const down = await cli(['report', '--flush'])
    expect(down.code).to.equal(4)
    expect(queued(state)).to.have.length(2)

    await collector.start(port)
    const before = collector.stored.length
    const flushed = await cli(['report', '--flush', '--json'])
    expect(flushed.code, flushed.stderr).to.equal(0)
    expect(JSON.parse(flushed.stdout).result.flush).to.include({remaining: 0, sent: 2})
    expect(collector.stored.slice(before)).to.deep.equal([firstId, secondId])
    expect(queued(state)).to.deep.equal([])
  })

  it('keeps the report queued when the agent is killed mid-send', async () => {
    collector.mode = {kind: 'hang'}
    const arrived = new Promise<void>((resolve) => (collector.onReport = resolve))
    const child = spawn(process.execPath, [DEV_BIN, 'audit', '--facts', clean, '--format', 'json', '--report'], {cwd: ROOT, env: {...process.env, NMG_STATE_DIR: state}, stdio: 'ignore'})
    const exited = new Promise((resolve) => child.on('exit', resolve))
    try {
      await arrived
      child.kill('SIGKILL')
      await exited
    } finally {
      collector.mode = {kind: 'ok'}
      collector.onReport = undefined
    }
    expect(queued(state)).to.have.length(1)
    const flushed = await cli(['report', '--flush'])
    expect(flushed.code).to.equal(0)
    expect(queued(state)).to.deep.equal([])
  })

  it('exits 1 and moves the report to rejected/ when the collector refuses it (400)', async () => {
    collector.mode = {kind: 'status', status: 400}
    try {
      const r = await cli(['audit', '--facts', clean, '--format', 'json', '--report'])
      expect(r.code).to.equal(1)
      expect(r.stderr).to.match(/rejected .* \(HTTP 400: test status 400\); moved to queue\/rejected\//)
    } finally {
      collector.mode = {kind: 'ok'}
    }
    expect(queued(state)).to.deep.equal([])
    expect(readdirSync(join(state, 'queue', 'rejected')).filter((n) => n.endsWith('.reason.json'))).to.have.length(1)
  })

  it('says in one line whether its report was sent or queued, and why; --json carries it as `delivery`', async () => {
    const sent = await cli(['audit', '--facts', clean, '--format', 'table', '--report'])
    expect(sent.code, sent.stderr).to.equal(0)
    expect(sent.stdout.trimEnd().split('\n').at(-1)).to.equal(`Report sent to ${collector.url} (HTTP 201)`)
    const zh = await cli(['audit', '--facts', clean, '--format', 'json', '--report', '--lang', 'zh-CN'])
    expect(zh.stderr).to.include(`报告已发送到 ${collector.url}（HTTP 201）`)
    JSON.parse(zh.stdout)
    const json = JSON.parse((await cli(['audit', '--facts', clean, '--report', '--json'])).stdout) as {delivery: Record<string, unknown>; result: {report_id: string}}
    expect(json.delivery).to.deep.equal({outcome: 'sent', reason: null, report_id: json.result.report_id, status: 201})

    collector.mode = {kind: 'status', status: 400}
    try {
      const refused = JSON.parse((await cli(['audit', '--facts', clean, '--report', '--json'])).stdout) as {delivery: Record<string, unknown>}
      expect(refused.delivery).to.include({outcome: 'rejected', reason: 'test status 400', status: 400})
    } finally {
      collector.mode = {kind: 'ok'}
    }

    const {port} = collector
    await collector.stop()
    try {
      const down = await cli(['audit', '--facts', clean, '--format', 'json', '--report'])
      expect(down.code).to.equal(4)
      expect(down.stderr).to.include(`Report queued, not sent: ${collector.url} unreachable (ECONNREFUSED)`)
      const downJson = JSON.parse((await cli(['audit', '--facts', clean, '--report', '--json'])).stdout) as {delivery: Record<string, unknown>; status: number}
      expect(downJson).to.deep.include({delivery: {...downJson.delivery, outcome: 'queued', reason: 'ECONNREFUSED', status: null}, status: 4})
    } finally {
      await collector.start(port)
    }
    expect((await cli(['report', '--flush'])).code).to.equal(0)
  })

  it('needs an enrolled agent for --report and report --flush (exit 1)', async () => {
    const env = {NMG_STATE_DIR: mkdtempSync(join(tmpdir(), 'nmg-none-'))}
    const audit = await runCli(['audit', '--facts', clean, '--format', 'json', '--report'], {env})
    expect(audit.code).to.equal(1)
    expect(audit.stderr).to.match(/not enrolled/)
    expect(audit.stdout).to.equal('')
    const flush = await runCli(['report', '--flush'], {env})
    expect(flush.code).to.equal(1)
    expect(flush.stderr).to.match(/not enrolled/)
  })

  it('never printed the token or a private key', () => {
    const all = outputs.join('\n')
    expect(all).to.not.include(TEST_TOKEN)
    expect(all).to.not.include('PRIVATE KEY')
  })
})
