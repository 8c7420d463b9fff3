import {existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {randomUUID} from 'node:crypto'

import {expect} from 'chai'

import {type AgentIdentity, enroll, requireIdentity} from '../../src/agent/enrollment.js'
import {type AgentPaths, agentPaths} from '../../src/agent/paths.js'
import {enqueue, flushQueue, listQueue, pathFor, queueStamp, queueStatus} from '../../src/agent/queue.js'
import {flushExitCode, flushWith, submitReport} from '../../src/agent/reporting.js'
import {API} from '../../src/collector/protocol.js'
import {sampleNotice} from '../helpers/enrolled-agent.js'
import {TEST_TOKEN, TestCollector} from '../helpers/test-collector.js'

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
