import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {randomUUID} from 'node:crypto'

import {expect} from 'chai'

import {type AgentIdentity, enroll, requireIdentity} from '../../src/agent/enrollment.js'
import {type AgentPaths, agentPaths} from '../../src/agent/paths.js'
import {acquireFlushLock, enqueue, FLUSH_LOCK, flushQueue, type FlushResult, listQueue, MAX_QUEUED_BYTES, pathFor, queueStamp, queueStatus, scanQueue, type Send} from '../../src/agent/queue.js'
import {flushExitCode, flushWith, reportFlush, submitReport} from '../../src/agent/reporting.js'
import {createUploader} from '../../src/agent/uploader.js'
import {API, caFingerprint} from '../../src/collector/protocol.js'
import {type CollectorInstance, startTestCollector} from '../helpers/collector-instance.js'
import {type EnrolledAgent, enrollAgent, insertEnrollToken, queueSampleReports, sampleNotice, sampleReport} from '../helpers/enrolled-agent.js'
import {TEST_TOKEN, TestCollector} from '../helpers/test-collector.js'
import {storedReports} from '../helpers/stored-reports.js'

const report = (agentId: string, id = randomUUID()) => ({agent: {id: agentId}, generated_at: new Date().toISOString(), report_id: id, schema: 'nm-guard/report@1'})

describe('agent offline queue and upload', function () {
  this.timeout(30_000)
  const collector = new TestCollector()
  let paths: AgentPaths
  let identity: AgentIdentity

  before(async () => {
    await collector.start()
    paths = agentPaths(mkdtempSync(join(tmpdir(), 'nmg-queue-')))
    await enroll({caFingerprint: collector.ca.fingerprint, force: false, paths, token: TEST_TOKEN, url: collector.url})
    identity = await requireIdentity(paths)
  })
  after(() => collector.stop())
  beforeEach(() => {
    collector.mode = {kind: 'ok'}
    collector.onReport = undefined
  })
  afterEach(async () => {
    // Each test starts from an empty queue.
    collector.mode = {kind: 'ok'}
    await flushWith(identity, paths)
  })

  it('names queue files by time so they sort oldest first, without colons', () => {
    expect(queueStamp(new Date('2026-11-27T08:09:10.123Z'))).to.equal('20261127T080910.123Z')
  })

  it('uploads with the agent certificate and removes the report after 201', async () => {
    const r = report(identity.agent_id)
    const result = await submitReport(identity, r, paths)
    expect(result.sent).to.have.length(1)
    expect(collector.stored).to.include(r.report_id)
    expect(collector.clientCns.at(-1)).to.equal(identity.agent_id)
    expect(await listQueue(paths)).to.deep.equal([])
  })

  it('writes the report to the queue before sending it', async () => {
    const r = report(identity.agent_id)
    let queuedAtSend: string[] = []
    collector.onReport = () => {
      queuedAtSend = readdirSync(paths.queue)
    }
    await submitReport(identity, r, paths)
    expect(queuedAtSend.filter((name) => name.endsWith(`-${r.report_id}.json`))).to.have.length(1)
  })

  it('keeps everything queued when the collector does not answer, and flushes oldest first later', async () => {
    collector.mode = {kind: 'hang'}
    const first = report(identity.agent_id)
    const second = report(identity.agent_id)
    const third = report(identity.agent_id)
    // Enqueued out of order: the file name's time decides.
    await enqueue(paths, second, new Date('2026-01-02T00:00:00Z'))
    await enqueue(paths, third, new Date('2026-01-03T00:00:00Z'))
    await enqueue(paths, first, new Date('2026-01-01T00:00:00Z'))
    const stalled = await flushWith(identity, paths, 300)
    expect(stalled.unreachable).to.equal('ETIMEDOUT')
    expect(stalled.remaining).to.equal(3)
    expect(flushExitCode(stalled, 3)).to.equal(4)
    expect(await listQueue(paths)).to.have.length(3)
    expect((await queueStatus(paths)).oldest).to.equal('2026-01-01T00:00:00.000Z')
    collector.mode = {kind: 'ok'}
    const before = collector.stored.length
    const flushed = await flushWith(identity, paths)
    expect(flushed.sent).to.have.length(3)
    expect(collector.stored.slice(before)).to.deep.equal([first.report_id, second.report_id, third.report_id])
  })

  it('stops on a 5xx or a closed connection and keeps the report', async () => {
    for (const mode of [{kind: 'status', status: 500}, {kind: 'close'}] as const) {
      collector.mode = mode
      const result = await submitReport(identity, report(identity.agent_id), paths)
      expect(result.unreachable).to.be.a('string')
      expect(await listQueue(paths)).to.have.length(1)
      collector.mode = {kind: 'ok'}
      await flushWith(identity, paths)
    }
  })

  it('removes a report the collector already stored (200)', async () => {
    const r = report(identity.agent_id)
    await submitReport(identity, r, paths)
    const again = await submitReport(identity, r, paths)
    expect(again.duplicates).to.have.length(1)
    expect(await listQueue(paths)).to.deep.equal([])
    expect(flushExitCode(again, 3)).to.equal(3)
  })

  it('moves a 4xx report to rejected/ with its reason and goes on with the rest', async () => {
    const bad = report(identity.agent_id)
    await enqueue(paths, {...bad, agent: {id: randomUUID()}}, new Date('2026-01-01T00:00:00Z'))
    const good = report(identity.agent_id)
    await enqueue(paths, good, new Date('2026-01-02T00:00:00Z'))
    const result = await flushWith(identity, paths)
    expect(result.rejected).to.deep.equal([{error: 'agent id does not match the certificate', file: `20260101T000000.000Z-${bad.report_id}.json`, status: 403}])
    expect(result.sent).to.have.length(1)
    expect(collector.stored).to.include(good.report_id)
    expect(flushExitCode(result, 0)).to.equal(1)
    const rejected = readdirSync(paths.rejected).sort()
    expect(rejected).to.deep.equal([`20260101T000000.000Z-${bad.report_id}.json`, `20260101T000000.000Z-${bad.report_id}.reason.json`])
    expect(JSON.parse(readFileSync(join(paths.rejected, rejected[1] as string), 'utf8'))).to.include({status: 403})
    expect((await queueStatus(paths)).rejected).to.equal(1)
    expect(await listQueue(paths)).to.deep.equal([])
  })

  it('refuses a collector whose certificate the pinned CA did not issue', async () => {
    const impostor = new TestCollector()
    await impostor.start()
    try {
      const r = report(identity.agent_id)
      const result = await submitReport({...identity, url: impostor.url}, r, paths)
      expect(result.unreachable).to.match(/CERT|SIGNATURE|SELF_SIGNED|UNABLE/)
      expect(impostor.bodies).to.deep.equal([])
      expect(existsSync(paths.queue) && (await listQueue(paths)).length).to.equal(1)
    } finally {
      await impostor.stop()
    }
  })

  describe('incident notices', () => {
    it('queues a notice under its notice_id and sends it to the incidents path', async () => {
      const notice = sampleNotice(identity.agent_id)
      const file = await enqueue(paths, notice, new Date('2026-01-03T00:00:00Z'))
      expect(file.endsWith(`20260103T000000.000Z-${notice.notice_id}.json`)).to.equal(true)
      const result = await flushWith(identity, paths)
      expect(result.sent).to.deep.equal([`20260103T000000.000Z-${notice.notice_id}.json`])
      expect(collector.notices).to.include(notice.notice_id)
      expect(collector.arrivals.at(-1)).to.equal(`${API.incidents} ${notice.notice_id}`)
      expect(await listQueue(paths)).to.deep.equal([])
    })

    it('flushes a mixed queue oldest first, each document to its own path, under the same rules', async () => {
      collector.mode = {kind: 'close'}
      const isolated = sampleNotice(identity.agent_id)
      const r1 = report(identity.agent_id)
      const reconnected = sampleNotice(identity.agent_id, {event: 'reconnected', incident_id: isolated.incident_id})
      const r2 = report(identity.agent_id)
      const foreign = sampleNotice(randomUUID())
      await enqueue(paths, r1, new Date('2026-01-04T00:00:02Z'))
      await enqueue(paths, isolated, new Date('2026-01-04T00:00:01Z'))
      await enqueue(paths, reconnected, new Date('2026-01-04T00:00:03Z'))
      await enqueue(paths, foreign, new Date('2026-01-04T00:00:04Z'))
      await enqueue(paths, r2, new Date('2026-01-04T00:00:05Z'))
      // Unreachable: everything stays.
      const offline = await flushWith(identity, paths)
      expect([offline.unreachable, offline.remaining]).to.deep.equal(['ECONNRESET', 5])
      collector.mode = {kind: 'ok'}
      const before = collector.arrivals.length
      // The isolated notice again from an earlier flush: a duplicate (200) leaves the queue too.
      collector.notices.push(isolated.notice_id)
      const result = await flushWith(identity, paths)
      expect(collector.arrivals.slice(before)).to.deep.equal([
        `${API.incidents} ${isolated.notice_id}`,
        `${API.reports} ${r1.report_id}`,
        `${API.incidents} ${reconnected.notice_id}`,
        `${API.incidents} ${foreign.notice_id}`,
        `${API.reports} ${r2.report_id}`,
      ])
      expect(result.duplicates).to.deep.equal([`20260104T000001.000Z-${isolated.notice_id}.json`])
      expect(result.sent).to.have.length(3)
      expect(result.rejected).to.deep.equal([{error: 'agent id does not match the certificate', file: `20260104T000004.000Z-${foreign.notice_id}.json`, status: 403}])
      expect(readdirSync(paths.rejected)).to.include(`20260104T000004.000Z-${foreign.notice_id}.json`)
      expect(await listQueue(paths)).to.deep.equal([])
    })

    it('refuses to queue a notice without a UUID notice_id', async () => {
      let message = ''
      try {
        await enqueue(paths, sampleNotice(identity.agent_id, {notice_id: '../../etc/passwd'}))
      } catch (error) {
        message = (error as Error).message
      }
      expect(message).to.equal('notice_id is not a UUID')
    })

    it('routes by schema: notices to incidents, anything else (even unreadable) to reports', () => {
      expect(pathFor(JSON.stringify(sampleNotice(null)))).to.equal(API.incidents)
      expect(pathFor(JSON.stringify(report('x')))).to.equal(API.reports)
      expect(pathFor('{"trunc')).to.equal(API.reports)
      expect(pathFor('null')).to.equal(API.reports)
    })
  })

  it('never sends a half-written temp file left by a crash', async () => {
    writeFileSync(join(paths.queue, `.20260101T000000.000Z-${randomUUID()}.json.abc.tmp`), '{"trunc')
    const result = await flushQueue(paths, () => Promise.reject(new Error('must not be called')))
    expect(result.sent).to.deep.equal([])
  })
})

describe('agent offline queue: one flush at a time, and what does not belong in it (real collector)', function () {
  this.timeout(60_000)
  let collector: CollectorInstance
  let agent: EnrolledAgent
  const closers: (() => void)[] = []

  /** A flush as one `report --flush` process makes it (its own connection), counting what it sends. */
  const flusher = (sends: string[], gate?: Promise<void>, lockWaitMs?: number) => {
    const uploader = createUploader(agent.identity, 15_000)
    closers.push(() => uploader.close())
    const send: Send = async (body, path) => {
      if (gate) await gate
      sends.push((JSON.parse(body) as {report_id: string}).report_id)
      return uploader.send(body, path)
    }
    return flushQueue(agent.paths, send, lockWaitMs === undefined ? {} : {lock: {waitMs: lockWaitMs}})
  }
  const queueReports = (count: number): Promise<string[]> => queueSampleReports(agent, count, new Date(Date.UTC(2026, 1, 1, 8)))
  const storedIds = async (): Promise<string[]> => (await storedReports(collector.store, agent.identity.agent_id)).map((r) => r.report_id)
  const lockFile = () => join(agent.paths.queue, FLUSH_LOCK)

  before(async () => {
    collector = await startTestCollector('nmg-queue-lock-')
    const token = await insertEnrollToken(collector.store, 1)
    agent = await enrollAgent(`https://127.0.0.1:${collector.running.port}`, caFingerprint(collector.ca.certPem), token, 'nmg-queue-lock-agent-')
  })
  after(async () => {
    for (const close of closers) close()
    await collector?.close()
  })

  it('lets two flushes at once send each queued report exactly once, without a crash', async () => {
    const ids = await queueReports(30)
    const firstSends: string[] = []
    const secondSends: string[] = []
    const results: FlushResult[] = await Promise.all([flusher(firstSends), flusher(secondSends)])
    const sends = [...firstSends, ...secondSends]
    expect(sends.toSorted()).to.deep.equal(ids.toSorted())
    expect(results.map((r) => r.sent.length + r.duplicates.length).reduce((a, b) => a + b)).to.equal(30)
    expect(results.map((r) => r.duplicates.length)).to.deep.equal([0, 0])
    expect(results.map((r) => r.busy)).to.deep.equal([null, null])
    const stored = await storedIds()
    for (const id of ids) expect(stored.filter((s) => s === id), id).to.have.length(1)
    expect(await listQueue(agent.paths)).to.deep.equal([])
    expect(existsSync(lockFile())).to.equal(false)
  })

  it('makes a second flush wait, then leave the queue to the running one and say so in the user\'s language', async () => {
    const ids = await queueReports(3)
    let open = () => {}
    const gate = new Promise<void>((resolve) => (open = resolve))
    const firstSends: string[] = []
    const first = flusher(firstSends, gate)
    // The first flush holds the lock from here on (its first send waits at the gate).
    while (!existsSync(lockFile())) await new Promise((resolve) => setTimeout(resolve, 10))
    const secondSends: string[] = []
    const started = Date.now()
    const second = await flusher(secondSends, undefined, 300)
    expect(Date.now() - started).to.be.within(250, 5000)
    expect(second.busy).to.deep.include({pid: process.pid})
    expect([second.sent, second.remaining, secondSends]).to.deep.equal([[], 3, []])
    const previous = process.env.NMG_FLUSH_WAIT_MS
    process.env.NMG_FLUSH_WAIT_MS = '100'
    try {
      const en = await reportFlush(agent.identity, agent.paths, 'en')
      expect(en.exitCode).to.equal(0)
      expect(en.summary).to.include({busy: true, remaining: 3, sent: 0})
      expect(en.messages).to.deep.equal([`Another flush of the offline queue is running (process ${process.pid}); this run sent nothing and leaves the queue (3 report(s)) to it`])
      const zh = await reportFlush(agent.identity, agent.paths, 'zh-CN')
      expect(zh.messages).to.deep.equal([`另一个进程（${process.pid}）正在发送离线队列；本次未发送任何报告，队列中的 3 份报告由该进程发送`])
    } finally {
      if (previous === undefined) delete process.env.NMG_FLUSH_WAIT_MS
      else process.env.NMG_FLUSH_WAIT_MS = previous
    }
    open()
    const result = await first
    expect(result.sent).to.have.length(3)
    expect(firstSends).to.deep.equal(ids)
    expect(existsSync(lockFile())).to.equal(false)
  })

  it('takes over a stale lock: a dead holder, a holder silent for too long, a planted link', async () => {
    const ids = await queueReports(1)
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number
    writeFileSync(lockFile(), JSON.stringify({at: new Date().toISOString(), pid: dead}), {flag: 'wx'})
    const started = Date.now()
    const sends: string[] = []
    expect((await flusher(sends)).sent).to.have.length(1)
    expect(Date.now() - started, 'no wait for a dead holder').to.be.below(5000)
    expect(sends).to.deep.equal(ids)
    expect(existsSync(lockFile())).to.equal(false)

    // Alive (this very process) but untouched for an hour: its pid may belong to someone else now.
    writeFileSync(lockFile(), JSON.stringify({at: new Date(Date.now() - 3_600_000).toISOString(), pid: process.pid}), {flag: 'wx'})
    const hourAgo = new Date(Date.now() - 3_600_000)
    utimesSync(lockFile(), hourAgo, hourAgo)
    const attempt = await acquireFlushLock(agent.paths, {waitMs: 0})
    expect(attempt).to.have.property('lock')
    if ('lock' in attempt) await attempt.lock.release()
    expect(existsSync(lockFile())).to.equal(false)

    // A link where the lock goes is never written through, and its target is left alone.
    const target = join(mkdtempSync(join(tmpdir(), 'nmg-lock-target-')), 'precious')
    writeFileSync(target, 'keep me')
    symlinkSync(target, lockFile())
    await queueReports(1)
    expect((await flusher([])).sent).to.have.length(1)
    expect(readFileSync(target, 'utf8')).to.equal('keep me')
    expect(existsSync(lockFile())).to.equal(false)
  })

  it('does not take over a lock whose holder is alive and recent', async () => {
    writeFileSync(lockFile(), JSON.stringify({at: new Date().toISOString(), pid: process.pid}), {flag: 'wx'})
    try {
      const attempt = await acquireFlushLock(agent.paths, {waitMs: 150})
      expect(attempt).to.deep.equal({busy: {at: JSON.parse(readFileSync(lockFile(), 'utf8')).at, pid: process.pid}})
    } finally {
      rmSync(lockFile())
    }
  })

  it('skips and names a folder called x.json, a link, a FIFO, a stray file and an oversized one, and sends the rest', async () => {
    const ids = await queueReports(2)
    const q = agent.paths.queue
    mkdirSync(join(q, 'x.json'))
    writeFileSync(join(q, 'x.json', 'inside.json'), '{}')
    // A link to a valid report elsewhere: it must not be followed, so that report never reaches the collector.
    const outside = sampleReport(agent.identity.agent_id)
    const elsewhere = join(mkdtempSync(join(tmpdir(), 'nmg-elsewhere-')), 'r.json')
    writeFileSync(elsewhere, JSON.stringify(outside))
    const linkName = `20260101T000000.000Z-${outside.report_id}.json`
    symlinkSync(elsewhere, join(q, linkName))
    const bigName = `20260101T000001.000Z-${randomUUID()}.json`
    writeFileSync(join(q, bigName), 'x'.repeat(MAX_QUEUED_BYTES + 1))
    writeFileSync(join(q, 'notes.txt'), 'hello')
    const fifo = process.platform === 'win32' ? null : spawnSync('mkfifo', [join(q, 'pipe.json')]).status === 0 ? 'pipe.json' : null

    const expected = [
      {file: linkName, kind: 'symlink'},
      {file: bigName, kind: 'tooLarge'},
      {file: 'notes.txt', kind: 'name'},
      ...(fifo ? [{file: fifo, kind: 'special'}] : []),
      {file: 'x.json', kind: 'directory'},
    ]
    expect((await scanQueue(agent.paths)).foreign).to.deep.equal(expected)
    const outcome = await reportFlush(agent.identity, agent.paths, 'en')
    expect(outcome.exitCode).to.equal(0)
    expect(outcome.summary).to.include({remaining: 0, sent: 2})
    expect(outcome.summary.skipped).to.deep.equal(expected.map((e) => e.file))
    expect(outcome.messages).to.include('Skipped x.json in the offline queue (a folder, not a queued report); it was left as it is')
    expect(outcome.messages).to.include(`Skipped ${linkName} in the offline queue (a link; links are never followed); it was left as it is`)
    expect(outcome.messages).to.include(`Skipped ${bigName} in the offline queue (larger than the collector accepts (${MAX_QUEUED_BYTES} bytes)); it was left as it is`)
    const zh = await reportFlush(agent.identity, agent.paths, 'zh-CN')
    expect(zh.messages).to.include('已跳过离线队列中的 x.json（是文件夹，不是排队的报告）；未做任何改动')
    const stored = await storedIds()
    for (const id of ids) expect(stored).to.include(id)
    expect(stored).to.not.include(outside.report_id)
    expect(readdirSync(q).sort()).to.include.members(['x.json', linkName, bigName, 'notes.txt'])
    for (const e of expected) rmSync(join(q, e.file), {force: true, recursive: true})
  })

  it('passes over a file that vanished between the listing and the read, or before its move to rejected/', async () => {
    const [first, second, third] = await queueReports(3)
    const bad = sampleReport(randomUUID())
    const badName = `20260201T090000.000Z-${bad.report_id}.json`
    await enqueue(agent.paths, bad, new Date('2026-02-01T09:00:00.000Z'))
    const uploader = createUploader(agent.identity, 15_000)
    closers.push(() => uploader.close())
    const sends: string[] = []
    const files = await listQueue(agent.paths)
    const send: Send = async (body, path) => {
      const id = (JSON.parse(body) as {report_id: string}).report_id
      sends.push(id)
      // While the first is on its way, the second goes (as if sent by someone else).
      if (id === first) rmSync(join(agent.paths.queue, files[1] as string))
      const answer = await uploader.send(body, path)
      // The refused one goes too, before it could be moved.
      if (id === bad.report_id) rmSync(join(agent.paths.queue, badName))
      return answer
    }
    const result = await flushQueue(agent.paths, send)
    expect(sends).to.deep.equal([first, third, bad.report_id])
    expect(result.sent).to.have.length(2)
    expect(result.rejected).to.deep.equal([])
    expect((await storedIds()).includes(second as string)).to.equal(false)
    expect(existsSync(join(agent.paths.rejected, badName.replace(/\.json$/, '.reason.json')))).to.equal(false)
    expect(await listQueue(agent.paths)).to.deep.equal([])
  })
})
