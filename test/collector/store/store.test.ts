import {randomUUID} from 'node:crypto'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {openStore} from '../../../src/collector/store/open-store.js'
import type {AgentRow, CollectorStore, IncidentRow, ReportRow} from '../../../src/collector/store/types.js'
import {freshDatabase, POSTGRES_PACKAGE, postgresBinDir} from '../../helpers/postgres.js'
import {requirePart} from '../../helpers/require-part.js'

const NOW = '2026-01-10T10:00:00.000Z'

function agent(overrides: Partial<AgentRow> = {}): AgentRow {
  return {agent_id: randomUUID(), hostname: 'pc-1', cert_fingerprint: 'ab'.repeat(32), cert_serial: '01', enrolled_at: NOW, revoked_at: null, last_seen: null, ...overrides}
}

function report(agentId: string, overrides: Partial<ReportRow> = {}): ReportRow {
  return {report_id: randomUUID(), agent_id: agentId, generated_at: NOW, received_at: NOW, score: 0.5, failing: ['screen-lock'], body: {schema: 'nm-guard/report@1', x: '中文'}, ...overrides}
}

function incident(agentId: string, overrides: Partial<IncidentRow> = {}): IncidentRow {
  return {notice_id: randomUUID(), incident_id: randomUUID(), agent_id: agentId, event: 'isolated', at: NOW, received_at: NOW, hostname: 'pc-1', method: 'nftables', reason: '疑似被入侵 <b>', evidence_sha256: 'c'.repeat(64), keep_collector: true, ...overrides}
}

async function refused(work: Promise<unknown>): Promise<boolean> {
  try {
    await work
    return false
  } catch {
    return true
  }
}

// The same suite for both backends: the server cannot tell them apart.
const backends: {name: string; url: (ctx: Mocha.Context) => Promise<string>}[] = [
  {name: 'SQLite', url: async () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'nmg-store-')), 'collector.db')}`},
  {
    name: 'PostgreSQL',
    async url(ctx) {
      requirePart(ctx, postgresBinDir() !== null, POSTGRES_PACKAGE)
      return freshDatabase()
    },
  },
]

for (const backend of backends) {
  describe(`collector store (${backend.name})`, function () {
    let store: CollectorStore
    let dbUrl: string

    beforeEach(async function () {
      dbUrl = await backend.url(this)
      store = await openStore(dbUrl)
    })

    afterEach(async () => {
      await store?.close()
    })

    it('migrates twice without harm', async () => {
      await store.migrate()
      const again = await openStore(dbUrl)
      await again.close()
    })

    it('enrolls with a token only while it has uses left', async () => {
      await store.insertToken({hash: 'h1', expires_at: '2026-01-11T00:00:00.000Z', uses_left: 1})
      const first = agent()
      expect(await store.enrollAgent('h1', NOW, first)).to.equal(true)
      expect(await store.enrollAgent('h1', NOW, agent())).to.equal(false)
      expect(await store.enrollAgent('unknown', NOW, agent())).to.equal(false)
      expect((await store.listAgents()).map((a) => a.agent_id)).to.deep.equal([first.agent_id])
      expect(await store.getAgent(first.agent_id)).to.deep.equal(first)
    })

    it('refuses an expired token and records no agent', async () => {
      await store.insertToken({hash: 'h2', expires_at: '2026-01-10T09:59:59.999Z', uses_left: 3})
      expect(await store.enrollAgent('h2', NOW, agent())).to.equal(false)
      expect(await store.listAgents()).to.deep.equal([])
    })

    it('stores a report once per report_id and marks the agent seen', async () => {
      await store.insertToken({hash: 'h', expires_at: '2027-01-01T00:00:00.000Z', uses_left: 1})
      const a = agent()
      await store.enrollAgent('h', NOW, a)
      const r = report(a.agent_id)
      expect(await store.insertReport(r)).to.equal(true)
      expect(await store.insertReport({...r, score: 1, received_at: '2026-01-10T11:00:00.000Z'})).to.equal(false)
      expect(await store.listReports(a.agent_id)).to.deep.equal([r])
      expect((await store.getAgent(a.agent_id))?.last_seen).to.equal('2026-01-10T11:00:00.000Z')
    })

    it('lists reports newest first and exports them with hostnames oldest first', async () => {
      await store.insertToken({hash: 'h', expires_at: '2027-01-01T00:00:00.000Z', uses_left: 2})
      const a = agent({hostname: 'pc-a'})
      await store.enrollAgent('h', NOW, a)
      const older = report(a.agent_id, {generated_at: '2026-01-01T00:00:00.000Z', score: null, failing: []})
      const newer = report(a.agent_id, {generated_at: '2026-01-05T00:00:00.000Z'})
      await store.insertReport(older)
      await store.insertReport(newer)
      expect((await store.listReports()).map((r) => r.report_id)).to.deep.equal([newer.report_id, older.report_id])
      const rows = await store.exportReports()
      expect(rows.map((r) => [r.report_id, r.hostname, r.score, r.failing])).to.deep.equal([
        [older.report_id, 'pc-a', null, []],
        [newer.report_id, 'pc-a', 0.5, ['screen-lock']],
      ])
    })

    it('revokes a known agent once and reports an unknown one', async () => {
      await store.insertToken({hash: 'h', expires_at: '2027-01-01T00:00:00.000Z', uses_left: 1})
      const a = agent()
      await store.enrollAgent('h', NOW, a)
      expect(await store.revokeAgent(a.agent_id, '2026-02-01T00:00:00.000Z')).to.equal(true)
      // A second revocation keeps the first date.
      await store.revokeAgent(a.agent_id, '2026-03-01T00:00:00.000Z')
      expect((await store.getAgent(a.agent_id))?.revoked_at).to.equal('2026-02-01T00:00:00.000Z')
      expect(await store.revokeAgent(randomUUID(), NOW)).to.equal(false)
    })

    it('keeps the newest report’s failing clauses on the agent row and returns one report by id', async () => {
      await store.insertToken({hash: 'h', expires_at: '2027-01-01T00:00:00.000Z', uses_left: 2})
      const a = agent({hostname: 'pc-a'})
      const b = agent({hostname: 'pc-b'})
      await store.enrollAgent('h', NOW, a)
      await store.enrollAgent('h', NOW, b)
      const newer = report(a.agent_id, {generated_at: '2026-01-05T00:00:00.000Z', failing_clauses: ['四(二)-7']})
      await store.insertReport(newer)
      // Older, arriving later: the pointer (and its clauses) stays on the newer one.
      await store.insertReport(report(a.agent_id, {generated_at: '2026-01-01T00:00:00.000Z', failing_clauses: ['四(二)-2']}))
      // Without clauses (as stored before migration 3): null, so the dashboard knows to read the body.
      await store.insertReport(report(b.agent_id))
      const [rowA, rowB] = await store.listAgentsWithLatest()
      expect(rowA?.latest).to.deep.include({report_id: newer.report_id, failing_clauses: ['四(二)-7']})
      expect(rowB?.latest?.failing_clauses).to.equal(null)
      expect(rowA?.agent).to.deep.equal({agent_id: a.agent_id, hostname: 'pc-a', enrolled_at: NOW, revoked_at: null, last_seen: NOW})
      const {body_text: _text, failing_clauses: _clauses, ...stored} = newer
      expect(await store.getReport(newer.report_id)).to.deep.equal(stored)
      expect(await store.getReport(randomUUID())).to.equal(null)
    })

    it('stores the body text as received when it is given', async () => {
      await store.insertToken({hash: 'h', expires_at: '2027-01-01T00:00:00.000Z', uses_left: 1})
      const a = agent()
      await store.enrollAgent('h', NOW, a)
      const r = report(a.agent_id, {body: {parsed: true}, body_text: '{"as":"received", "x":"中文"}'})
      await store.insertReport(r)
      expect((await store.getReport(r.report_id))?.body).to.deep.equal({as: 'received', x: '中文'})
    })

    it('saves clause texts, updating a changed one', async () => {
      await store.saveClauses([
        {clause_id: '四(二)-7', text: '锁屏'},
        {clause_id: '四(二)-2', text: '口令'},
      ])
      await store.saveClauses([{clause_id: '四(二)-7', text: '屏幕锁定'}])
      expect(await store.listClauses()).to.deep.equal([
        {clause_id: '四(二)-2', text: '口令'},
        {clause_id: '四(二)-7', text: '屏幕锁定'},
      ])
    })

    it('stores an incident notice once and points the agent at its newest event, whatever the arrival order', async () => {
      await store.insertToken({hash: 'h', expires_at: '2027-01-01T00:00:00.000Z', uses_left: 2})
      const a = agent({hostname: 'pc-a'})
      const quiet = agent({hostname: 'pc-b'})
      await store.enrollAgent('h', NOW, a)
      await store.enrollAgent('h', NOW, quiet)
      const isolated = incident(a.agent_id, {at: '2026-01-10T10:00:00.000Z'})
      const reconnected = incident(a.agent_id, {event: 'reconnected', incident_id: isolated.incident_id, at: '2026-01-10T12:00:00.000Z', method: null, reason: null, evidence_sha256: null, keep_collector: false})
      expect(await store.insertIncident(isolated, JSON.stringify({n: 1}))).to.equal(true)
      expect(await store.insertIncident({...isolated, reason: 'changed'}, '{}')).to.equal(false)
      const [first, quietRow] = await store.listAgentsWithLatest()
      expect(first?.incident).to.deep.equal({event: 'isolated', at: '2026-01-10T10:00:00.000Z'})
      expect(quietRow?.incident).to.equal(null)
      expect(await store.insertIncident(reconnected, '{}')).to.equal(true)
      // A late copy of an older event does not move the pointer back.
      const older = incident(a.agent_id, {at: '2026-01-09T00:00:00.000Z'})
      expect(await store.insertIncident(older, '{}')).to.equal(true)
      const [latest] = await store.listAgentsWithLatest()
      expect(latest?.incident).to.deep.equal({event: 'reconnected', at: '2026-01-10T12:00:00.000Z'})
      expect(await store.listIncidents(a.agent_id)).to.deep.equal([reconnected, isolated, older])
      expect(await store.listIncidents(quiet.agent_id)).to.deep.equal([])
    })

    it('refuses an incident notice for an agent it does not know', async () => {
      expect(await refused(store.insertIncident(incident(randomUUID()), '{}'))).to.equal(true)
    })

    it('refuses a report for an agent it does not know', async () => {
      expect(await refused(store.insertReport(report(randomUUID())))).to.equal(true)
    })
  })
}
