// `nm-guard report --flush` as separate processes against a real collector: two at once share the
// queue through its lock, and one that finds the lock held says so and exits cleanly.
import {rmSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {expect} from 'chai'

import {FLUSH_LOCK, listQueue} from '../../src/agent/queue.js'
import {caFingerprint} from '../../src/collector/protocol.js'
import {type CollectorInstance, startTestCollector} from '../helpers/collector-instance.js'
import {type EnrolledAgent, enrollAgent, insertEnrollToken, queueSampleReports} from '../helpers/enrolled-agent.js'
import {runCli} from '../helpers/run-cli.js'
import {storedReports} from '../helpers/stored-reports.js'

describe('nm-guard report --flush (CLI, real collector)', function () {
  this.timeout(120_000)
  let collector: CollectorInstance
  let agent: EnrolledAgent
  let env: Record<string, string>

  const queueReports = (count: number): Promise<string[]> => queueSampleReports(agent, count, new Date(Date.UTC(2026, 2, 1, 8)))

  before(async () => {
    collector = await startTestCollector('nmg-report-cli-')
    const token = await insertEnrollToken(collector.store, 1)
    agent = await enrollAgent(`https://127.0.0.1:${collector.running.port}`, caFingerprint(collector.ca.certPem), token, 'nmg-report-cli-agent-')
    env = {NMG_STATE_DIR: dirname(agent.paths.queue)}
  })
  after(() => collector?.close())

  it('two flushes at once: every report sent and stored exactly once, neither crashes', async () => {
    const ids = await queueReports(40)
    const runs = await Promise.all([runCli(['report', '--flush', '--json'], {env}), runCli(['report', '--flush', '--json'], {env})])
    for (const run of runs) {
      expect(run.code, run.stderr).to.equal(0)
      expect(run.stderr).to.not.match(/ENOENT/)
    }
    const flushes = runs.map((run) => JSON.parse(run.stdout).result.flush)
    expect(flushes.map((f) => f.sent + f.duplicates).reduce((a: number, b: number) => a + b)).to.equal(40)
    expect(flushes.map((f) => f.duplicates)).to.deep.equal([0, 0])
    const stored = (await storedReports(collector.store, agent.identity.agent_id)).map((r) => r.report_id)
    expect(stored.toSorted()).to.deep.equal(ids.toSorted())
    expect(await listQueue(agent.paths)).to.deep.equal([])
  })

  it('a flush that finds the lock held waits, says another flush is running, and exits 0', async () => {
    await queueReports(2)
    const lock = join(agent.paths.queue, FLUSH_LOCK)
    // This test process holds it: alive and recent, so it is not stale.
    writeFileSync(lock, JSON.stringify({at: new Date().toISOString(), pid: process.pid}), {flag: 'wx'})
    try {
      const en = await runCli(['report', '--flush'], {env: {...env, NMG_FLUSH_WAIT_MS: '300'}})
      expect(en.code, en.stderr).to.equal(0)
      expect(en.stderr).to.include(`Another flush of the offline queue is running (process ${process.pid}); this run sent nothing and leaves the queue (2 report(s)) to it`)
      const zh = await runCli(['report', '--flush', '--lang', 'zh-CN', '--json'], {env: {...env, NMG_FLUSH_WAIT_MS: '300'}})
      expect(zh.code, zh.stderr).to.equal(0)
      const envelope = JSON.parse(zh.stdout)
      expect(envelope.result.flush).to.include({busy: true, remaining: 2, sent: 0})
      expect(envelope.warnings).to.deep.equal([`另一个进程（${process.pid}）正在发送离线队列；本次未发送任何报告，队列中的 2 份报告由该进程发送`])
      expect(await listQueue(agent.paths)).to.have.length(2)
    } finally {
      rmSync(lock)
    }
    const flushed = await runCli(['report', '--flush', '--json'], {env})
    expect(flushed.code, flushed.stderr).to.equal(0)
    expect(JSON.parse(flushed.stdout).result.flush).to.include({busy: false, remaining: 0, sent: 2})
  })
  it('shows the oldest queued report in the PC\'s time zone, named', async () => {
    await queueReports(1)
    const shown = await runCli(['report'], {env: {...env, TZ: 'Asia/Shanghai'}})
    expect(shown.code, shown.stderr).to.equal(0)
    expect(shown.stdout).to.contain('oldest 2026-03-01 16:00 (Asia/Shanghai, UTC+08:00)')
    expect((await runCli(['report', '--flush', '--json'], {env})).code).to.equal(0)
  })
})
