// reportFlush and submitReport (what `audit --report` and `report --flush` run) against a real
// collector: a queue that cannot take the report (full disk, quota, read-only, no permission) and a
// flush already running.
import {randomUUID} from 'node:crypto'
import {existsSync, rmSync, writeFileSync} from 'node:fs'
import {createServer} from 'node:net'
import {dirname, join} from 'node:path'

import {expect} from 'chai'

import {EXIT} from '../../src/cli/exit-codes.js'
import {enqueue, FLUSH_LOCK, listQueue, type QueueWrite} from '../../src/agent/queue.js'
import {deliveryLine, reportFlush} from '../../src/agent/reporting.js'
import {caFingerprint} from '../../src/collector/protocol.js'
import {type CollectorInstance, startTestCollector} from '../helpers/collector-instance.js'
import {type EnrolledAgent, enrollAgent, insertEnrollToken, sampleReport} from '../helpers/enrolled-agent.js'
import {storedReports} from '../helpers/stored-reports.js'
import type {Exec} from '../../src/os/types.js'
import {toolName} from '../../src/os/tools.js'
import {type FakeAnswer, fakeExec, fixtureBytes} from '../helpers/fake-exec.js'
import {aclAnswer, askedPaths, inheritedFromProgramData, lockedDown, SID} from '../helpers/folder-acls.js'
import {refusal} from '../helpers/refusal.js'

/** An elevated Windows, as far as the state folder's guard asks: the folder ACL script answered by `ps`, else per folder (`root` a user's, the others locked down). */
const elevatedWindows = (root: string, ps?: FakeAnswer): Exec => {
  const inner = fakeExec({whoami: {raw: fixtureBytes('win32/os/whoami-groups-elevated-zh.gbk.bin')}, ...(ps ? {powershell: ps} : {})})
  return (async (file, args, options) => {
    const script = String(options?.input ?? '')
    if (ps || toolName(file) !== 'powershell' || !askedPaths(script)) return inner(file, args, options)
    const stdout = aclAnswer(script, (path) => (path === root ? inheritedFromProgramData(root, SID.user) : lockedDown(path))) as string
    return {code: 0, raw: Buffer.from(stdout), stderr: '', stdout}
  }) as Exec
}

/** A queue write that fails as a full (or read-only, …) disk does. */
const failingWrite =
  (code: string): QueueWrite =>
  async (file) => {
    throw Object.assign(new Error(`${code}: cannot write, open '${file}'`), {code, errno: -28, syscall: 'write'})
  }

async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as {port: number}
  await new Promise((resolve) => server.close(resolve))
  return port
}

describe('agent reporting: a queue that cannot take the report, a flush already running', function () {
  this.timeout(60_000)
  let collector: CollectorInstance
  let agent: EnrolledAgent
  const stored = async (): Promise<string[]> => (await storedReports(collector.store, agent.identity.agent_id)).map((r) => r.report_id)

  before(async () => {
    collector = await startTestCollector('nmg-reporting-')
    const token = await insertEnrollToken(collector.store, 1)
    agent = await enrollAgent(`https://127.0.0.1:${collector.running.port}`, caFingerprint(collector.ca.certPem), token, 'nmg-reporting-agent-')
  })
  after(() => collector?.close())

  it('sends the report directly when the disk is full (ENOSPC), after the queue, and says it was not queued', async () => {
    const waiting = sampleReport(agent.identity.agent_id, '2026-02-01T08:00:00.000Z')
    await enqueue(agent.paths, waiting, new Date('2026-02-01T08:00:00.000Z'))
    const report = sampleReport(agent.identity.agent_id, '2026-02-02T08:00:00.000Z')
    const outcome = await reportFlush(agent.identity, agent.paths, 'en', EXIT.nonCompliant, report, {submit: {write: failingWrite('ENOSPC')}})
    expect(outcome.exitCode).to.equal(EXIT.nonCompliant)
    expect(outcome.summary).to.include({remaining: 0, sent: 2, unqueued: 'ENOSPC', unreachable: null})
    expect(outcome.messages).to.deep.equal(['The report could not be written to the offline queue (ENOSPC: the disk is full); it was sent to the collector directly'])
    expect(await stored()).to.include.members([waiting.report_id, report.report_id])
    expect(await listQueue(agent.paths)).to.deep.equal([])
    expect(outcome.delivery).to.deep.equal({outcome: 'sent', reason: null, report_id: report.report_id, status: 201})

    const zh = await reportFlush(agent.identity, agent.paths, 'zh-CN', EXIT.ok, sampleReport(agent.identity.agent_id), {submit: {write: failingWrite('ENOSPC')}})
    expect(zh.messages).to.deep.equal(['报告无法写入离线队列（ENOSPC：磁盘已满）；已直接发送到收集服务器'])
    expect(zh.exitCode).to.equal(EXIT.ok)
  })

  it('does the same for a used-up quota, a read-only file system and a refused permission', async () => {
    const reasons = {EACCES: 'no permission to write to the queue folder', EDQUOT: 'the disk quota is used up', EROFS: 'the file system is read-only'}
    for (const [code, reason] of Object.entries(reasons)) {
      const report = sampleReport(agent.identity.agent_id)
      const outcome = await reportFlush(agent.identity, agent.paths, 'en', EXIT.ok, report, {submit: {write: failingWrite(code)}})
      expect(outcome.messages, code).to.deep.equal([`The report could not be written to the offline queue (${code}: ${reason}); it was sent to the collector directly`])
      expect(await stored()).to.include(report.report_id)
    }
  })

  it('exits 4 and says the report was not kept when it can be neither queued nor sent', async () => {
    const port = await closedPort()
    const offline = {...agent.identity, url: `https://127.0.0.1:${port}`}
    const report = sampleReport(agent.identity.agent_id)
    const outcome = await reportFlush(offline, agent.paths, 'en', EXIT.nonCompliant, report, {submit: {write: failingWrite('ENOSPC')}})
    expect(outcome.exitCode).to.equal(EXIT.unreachable)
    expect(outcome.summary).to.include({sent: 0, unqueued: 'ENOSPC', unreachable: 'ECONNREFUSED'})
    expect(outcome.messages).to.deep.equal([
      `The report could not be written to the offline queue (ENOSPC: the disk is full), and the collector https://127.0.0.1:${port} is unreachable (ECONNREFUSED): the report was not kept. Free up disk space (or fix the queue folder's permissions) and run the audit again`,
    ])
    expect(await stored()).to.not.include(report.report_id)
    expect(outcome.delivery).to.include({outcome: 'lost', reason: 'ECONNREFUSED'})
    expect(deliveryLine('en', outcome.delivery!, offline.url)).to.equal('Report neither queued nor sent (ECONNREFUSED): it was not kept')
  })

  it('exits 1 when the collector refuses the report sent directly', async () => {
    const report = sampleReport(randomUUID())
    const outcome = await reportFlush(agent.identity, agent.paths, 'en', EXIT.nonCompliant, report, {submit: {write: failingWrite('ENOSPC')}})
    expect(outcome.exitCode).to.equal(EXIT.error)
    expect(outcome.summary).to.include({rejected: 1, unqueued: 'ENOSPC'})
    expect(outcome.delivery).to.include({outcome: 'rejected', status: 403})
    expect(outcome.messages).to.deep.equal(['The report could not be written to the offline queue (ENOSPC: the disk is full), and the collector rejected it when sent directly (HTTP 403: report.agent.id is not the id in the client certificate); it was not kept'])
  })

  it('exits 4 for audit --report when another flush keeps the lock and the report stays queued', async () => {
    const lock = join(agent.paths.queue, FLUSH_LOCK)
    writeFileSync(lock, JSON.stringify({at: new Date().toISOString(), pid: process.pid}), {flag: 'wx'})
    const report = sampleReport(agent.identity.agent_id)
    try {
      const outcome = await reportFlush(agent.identity, agent.paths, 'en', EXIT.nonCompliant, report, {submit: {flush: {lock: {waitMs: 100}}}})
      expect(outcome.exitCode).to.equal(EXIT.unreachable)
      expect(outcome.summary).to.include({busy: true, remaining: 1, sent: 0})
      expect(outcome.messages).to.deep.equal([`Another flush of the offline queue is running (process ${process.pid}); this report stays in the queue and is sent by that flush or the next run`])
      expect((await listQueue(agent.paths)).filter((name) => name.includes(report.report_id))).to.have.length(1)
      expect(outcome.delivery).to.include({outcome: 'queued', reason: 'busy'})
      expect(deliveryLine('zh-CN', outcome.delivery!, agent.identity.url)).to.equal('报告已存入离线队列，暂未发送：另一个 nm-guard 正在发送队列，由它或下次运行发送')
    } finally {
      rmSync(lock)
    }
    const later = await reportFlush(agent.identity, agent.paths, 'en')
    expect(later.summary).to.include({busy: false, sent: 1})
    expect(later.delivery).to.equal(null)
    // The same report submitted again (a rerun after a crash): the collector already has it.
    const again = await reportFlush(agent.identity, agent.paths, 'en', EXIT.ok, report)
    expect(again.delivery).to.include({outcome: 'already_stored', status: 200})
    expect(deliveryLine('en', again.delivery!, agent.identity.url)).to.equal(`Report already stored by ${agent.identity.url} (HTTP 200)`)
    expect(await stored()).to.include(report.report_id)
    expect(existsSync(lock)).to.equal(false)
  })

  it('elevated on Windows (#11 2.1): a state folder another account owns gets no report queued or sent; one whose ACLs cannot be read gets the report and a warning', async () => {
    const root = dirname(agent.paths.queue)
    const queued = await listQueue(agent.paths)
    const refused = sampleReport(agent.identity.agent_id)
    const error = await refusal(reportFlush(agent.identity, agent.paths, 'en', EXIT.ok, refused, {host: {exec: elevatedWindows(root), platform: 'win32'}}))
    expect(error.key).to.equal('os.unsafeStateFolder')
    expect(await listQueue(agent.paths)).to.deep.equal(queued)
    expect(await stored()).to.not.include(refused.report_id)

    const report = sampleReport(agent.identity.agent_id)
    const blocked = elevatedWindows(root, {code: 1, stderr: 'blocked by group policy', stdout: ''})
    const outcome = await reportFlush(agent.identity, agent.paths, 'en', EXIT.ok, report, {host: {exec: blocked, platform: 'win32'}})
    expect(outcome.messages[0]).to.equal(
      `The permissions of nm-guard's data folder ${root} could not be checked (PowerShell exited 1: blocked by group policy); nm-guard writes there all the same. Run nm-guard provision as administrator (it takes the folder over for Administrators)`,
    )
    expect(outcome.exitCode).to.equal(EXIT.ok)
    expect(await stored()).to.include(report.report_id)
  })
})
