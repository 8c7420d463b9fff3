import {randomUUID} from 'node:crypto'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {MAX_SUMMARY_PAGE, type StoreOptions} from '../../../src/collector/store/bounds.js'
import {openStore} from '../../../src/collector/store/open-store.js'
import type {AgentRow, CollectorStore, ExportPeriod, IncidentRow, ReportExportRow, ReportRow, ReportSummaryRow} from '../../../src/collector/store/types.js'
import {freshDatabase, POSTGRES_PACKAGE, postgresBinDir} from '../../helpers/postgres.js'
import {requirePart} from '../../helpers/require-part.js'

const NOW = '2026-01-10T10:00:00.000Z'

function agent(overrides: Partial<AgentRow> = {}): AgentRow {
  return {agent_id: randomUUID(), hostname: 'pc-1', cert_fingerprint: 'ab'.repeat(32), cert_serial: '01', enrolled_at: NOW, revoked_at: null, last_seen: null, ...overrides}
}

function report(agentId: string, overrides: Partial<ReportRow> = {}): ReportRow {
  // Received when it was generated unless a test says otherwise: the store orders by receipt.
  return {report_id: randomUUID(), agent_id: agentId, generated_at: NOW, received_at: overrides.generated_at ?? NOW, score: 0.5, failing: ['screen-lock'], body: {schema: 'nm-guard/report@1', x: '中文'}, ...overrides}
}

function incident(agentId: string, overrides: Partial<IncidentRow> = {}): IncidentRow {
  return {notice_id: randomUUID(), incident_id: randomUUID(), agent_id: agentId, event: 'isolated', at: NOW, received_at: NOW, hostname: 'pc-1', method: 'nftables', reason: '疑似被入侵 <b>', evidence_sha256: 'c'.repeat(64), keep_collector: true, ...overrides}
}

/** What the summaries give back of a report: no body. */
function summary(r: ReportRow): ReportSummaryRow {
  const {body: _body, body_text: _text, failing_clauses: _clauses, ...rest} = r
  return rest
}

async function exported(store: CollectorStore, period?: ExportPeriod, pageSize?: number): Promise<ReportExportRow[][]> {
  const pages: ReportExportRow[][] = []
  for await (const page of store.exportReports(period, pageSize)) pages.push(page)
  return pages
}

/** Reports for `agentId` at these times (ids in the same order as the times). */
function reportsAt(agentId: string, times: string[]): ReportRow[] {
  return times.map((at, i) => report(agentId, {generated_at: at, report_id: `${String(i).padStart(8, '0')}-0000-4000-8000-${agentId.slice(-12)}`}))
}

const day = (n: number): string => new Date(Date.UTC(2026, 0, n)).toISOString()

async function refused(work: Promise<unknown>): Promise<boolean> {
  try {
    await work
    return false
  } catch {
    return true
  }
}

// The same suite for both backends: the server cannot tell them apart. `open` builds a store with
// options openStore does not take (a test's lower limits).
const backends: {name: string; url: (ctx: Mocha.Context) => Promise<string>; open: (url: string, options: StoreOptions) => Promise<CollectorStore>}[] = [
  {
    name: 'SQLite',
    url: async () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'nmg-store-')), 'collector.db')}`,
    async open(url, options) {
      const {SqliteStore} = await import('../../../src/collector/store/sqlite-store.js')
      return new SqliteStore(url.slice('sqlite:'.length), options)
    },
  },
  {
    name: 'PostgreSQL',
    async url(ctx) {
      requirePart(ctx, postgresBinDir() !== null, POSTGRES_PACKAGE)
      return freshDatabase()
    },
    async open(url, options) {
      const {PostgresStore} = await import('../../../src/collector/store/postgres-store.js')
      return new PostgresStore(url, options)
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
      expect(await store.listReportSummaries(a.agent_id, {limit: 10})).to.deep.equal({reports: [summary(r)], older: null})
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
      expect((await store.listReportSummaries(undefined, {limit: 10})).reports.map((r) => r.report_id)).to.deep.equal([newer.report_id, older.report_id])
      const [rows] = await exported(store)
      expect(rows?.map((r) => [r.report_id, r.hostname, r.score, r.failing])).to.deep.equal([
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
      const newer = report(a.agent_id, {generated_at: '2026-01-05T00:00:00.000Z', failing_clauses: ['四(二)-7'], received_at: NOW})
      await store.insertReport(newer)
      // Received earlier (by a second collector, committed after): the pointer and its clauses stay
      // on the one received last, and last_seen does not go back.
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

    it('pages report summaries newest first (a tie to the smaller id), without bodies, at most MAX_SUMMARY_PAGE a page', async () => {
      const a = await enrolled(store, 'pc-a')
      const b = await enrolled(store, 'pc-b')
      // Ids rise with the times, so the tie at day 3 is between ids 2 and 3: the smaller (2) first.
      const mine = reportsAt(a.agent_id, [day(1), day(2), day(3), day(3), day(4), day(5), day(6)])
      for (const r of [...mine].reverse()) await store.insertReport(r)
      await store.insertReport(report(b.agent_id, {generated_at: day(7)}))
      const expected = [mine[6], mine[5], mine[4], mine[2], mine[3], mine[1], mine[0]].map((r) => summary(r as ReportRow))
      const pages: ReportSummaryRow[][] = []
      let before
      do {
        // Pages of 2: the second ends inside the tie, so the cursor must break it as the order does.
        const page = await store.listReportSummaries(a.agent_id, {before, limit: 2})
        pages.push(page.reports)
        before = page.older ?? undefined
      } while (before)
      expect(pages.map((p) => p.length)).to.deep.equal([2, 2, 2, 1])
      expect(pages.flat()).to.deep.equal(expected)
      // Exactly a page's worth: no older page is promised.
      expect((await store.listReportSummaries(a.agent_id, {limit: 7})).older).to.equal(null)
      const everyone = await store.listReportSummaries(undefined, {limit: 2})
      expect(everyone.reports.map((r) => r.agent_id)).to.deep.equal([b.agent_id, a.agent_id])
      expect((await store.listReportSummaries(undefined, {before: everyone.older ?? undefined, limit: 10})).reports).to.deep.equal(expected.slice(1))
      expect(await refused(store.listReportSummaries(a.agent_id, {limit: 0}))).to.equal(true)
      expect(await refused(store.listReportSummaries(a.agent_id, {before: {received_at: 'x'.repeat(101), report_id: 'y'}, limit: 1}))).to.equal(true)
    })

    it('returns no more than MAX_SUMMARY_PAGE summaries whatever the limit asked', async function () {
      this.timeout(30_000)
      const a = await enrolled(store, 'pc-a')
      await Promise.all(Array.from({length: MAX_SUMMARY_PAGE + 1}, (_, i) => store.insertReport(report(a.agent_id, {generated_at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString()}))))
      const page = await store.listReportSummaries(a.agent_id, {limit: 1_000_000})
      expect(page.reports).to.have.length(MAX_SUMMARY_PAGE)
      expect(page.older).to.not.equal(null)
      expect((await store.listReportSummaries(a.agent_id, {before: page.older ?? undefined, limit: 1_000_000})).reports).to.have.length(1)
    })

    it('exports a received_at period oldest first, in pages of the size asked', async () => {
      const a = await enrolled(store, 'pc-a')
      const b = await enrolled(store, 'pc-b')
      const mine = reportsAt(a.agent_id, [day(1), day(2), day(2), day(4)])
      for (const r of mine) await store.insertReport(r)
      const theirs = report(b.agent_id, {generated_at: day(3)})
      await store.insertReport(theirs)
      const ids = (pages: ReportExportRow[][]): string[][] => pages.map((p) => p.map((r) => r.report_id))
      // The listing's exact reverse: at day 2 the larger id first.
      const all = [mine[0], mine[2], mine[1], theirs, mine[3]].map((r) => (r as ReportRow).report_id)
      expect(ids(await exported(store, {}, 2))).to.deep.equal([all.slice(0, 2), all.slice(2, 4), all.slice(4)])
      // A last page that is exactly full ends the export: no empty page after it.
      expect(ids(await exported(store, {to: day(4)}, 2))).to.deep.equal([all.slice(0, 2), all.slice(2, 4)])
      expect(ids(await exported(store, {from: day(2), to: day(3)}))).to.deep.equal([all.slice(1, 3)])
      expect(await exported(store, {from: day(5)})).to.deep.equal([])
      const [[row]] = (await exported(store, {from: day(3), to: day(4)})) as [[ReportExportRow]]
      expect(row).to.deep.equal({...summary(theirs), hostname: 'pc-b'})
      expect(Object.keys(row)).to.deep.equal(['report_id', 'agent_id', 'hostname', 'generated_at', 'received_at', 'score', 'failing'])
      expect(await refused(exported(store, {from: '2026-01'}))).to.equal(true)
    })

    it('names the agents whose newest report has no clauses kept, and fills them in only while that report is still the newest', async () => {
      const agents = await Promise.all(['pc-a', 'pc-b', 'pc-c', 'pc-d'].map((h) => enrolled(store, h)))
      const [a, b, c, d] = agents as [AgentRow, AgentRow, AgentRow, AgentRow]
      const old = {a: report(a.agent_id), b: report(b.agent_id), c: report(c.agent_id)}
      // As stored before migration 3: no clauses. d never reported; c's newest has clauses.
      for (const r of Object.values(old)) await store.insertReport(r)
      await store.insertReport(report(c.agent_id, {generated_at: day(20), failing_clauses: ['四(二)-1']}))
      const missing = [
        {agent_id: a.agent_id, report_id: old.a.report_id},
        {agent_id: b.agent_id, report_id: old.b.report_id},
      ].sort((x, y) => (x.agent_id < y.agent_id ? -1 : 1))
      expect(await store.agentsMissingClauses(10)).to.deep.equal(missing)
      expect(await store.agentsMissingClauses(1)).to.deep.equal(missing.slice(0, 1))
      expect(await store.agentsMissingClauses(10, missing[0]?.agent_id)).to.deep.equal(missing.slice(1))
      expect(await store.setLatestClauses(a.agent_id, old.c.report_id, ['x'])).to.equal(false)
      expect(await store.setLatestClauses(a.agent_id, old.a.report_id, ['四(二)-7'])).to.equal(true)
      // b got a newer report meanwhile: the backfill of the old one must not overwrite it.
      await store.insertReport(report(b.agent_id, {generated_at: day(20), failing_clauses: []}))
      expect(await store.setLatestClauses(b.agent_id, old.b.report_id, ['stale'])).to.equal(false)
      const rows = new Map((await store.listAgentsWithLatest()).map((r) => [r.agent.agent_id, r.latest?.failing_clauses]))
      expect([a, b, c, d].map((x) => rows.get(x.agent_id))).to.deep.equal([['四(二)-7'], [], ['四(二)-1'], undefined])
      expect(await store.agentsMissingClauses(10)).to.deep.equal([])
    })

    it('counts failed authentication atomically: 50 at once from one source make 50', async () => {
      const w = '2026-01-10T10:00:00.000Z'
      const counts = await Promise.all(Array.from({length: 50}, () => store.recordAuthFailure('api-admin', '192.0.2.1', w)))
      expect([...counts].sort((x, y) => x - y)).to.deep.equal(Array.from({length: 50}, (_, i) => i + 1))
      expect(await store.authFailureCount('api-admin', '192.0.2.1', w)).to.equal(50)
      // Another source, scope or window is a count of its own.
      expect(await store.authFailureCount('api-admin', '192.0.2.2', w)).to.equal(0)
      expect(await store.authFailureCount('enroll', '192.0.2.1', w)).to.equal(0)
      expect(await store.authFailureCount('api-admin', '192.0.2.1', '2026-01-10T10:01:00.000Z')).to.equal(0)
      expect(await store.recordAuthFailure('enroll', '192.0.2.1', w)).to.equal(1)
    })

    it('shares the failure count with another store on the same database', async () => {
      const other = await openStore(dbUrl)
      try {
        const w = '2026-01-10T10:00:00.000Z'
        const counts = await Promise.all(Array.from({length: 20}, (_, i) => (i % 2 === 0 ? store : other).recordAuthFailure('dashboard-login', '2001:db8::/64', w)))
        expect(Math.max(...counts)).to.equal(20)
        expect(await other.authFailureCount('dashboard-login', '2001:db8::/64', w)).to.equal(20)
        expect(await store.recordAuthFailure('dashboard-login', '2001:db8::/64', w)).to.equal(21)
      } finally {
        await other.close()
      }
    })

    it("keeps a window's sources bounded: past the cap, new sources share one count", async () => {
      const capped = await backend.open(dbUrl, {maxAuthSourcesPerWindow: 3})
      try {
        const w = '2026-01-10T10:00:00.000Z'
        for (const source of ['s1', 's2', 's3']) expect(await capped.recordAuthFailure('enroll', source, w)).to.equal(1)
        expect(await capped.recordAuthFailure('enroll', 's4', w)).to.equal(1)
        expect(await capped.recordAuthFailure('enroll', 's5', w)).to.equal(2)
        // A source counted before the cap keeps its own count; an unseen one reads the shared one.
        expect(await capped.recordAuthFailure('enroll', 's1', w)).to.equal(2)
        expect(await capped.authFailureCount('enroll', 's6', w)).to.equal(2)
        expect(await capped.authFailureCount('enroll', 's2', w)).to.equal(1)
        // Another scope's window is not full.
        expect(await capped.recordAuthFailure('api-admin', 's9', w)).to.equal(1)
        expect(await capped.authFailureCount('api-admin', 's8', w)).to.equal(0)
        // s1, s2, s3, the shared row and api-admin's s9: five rows for seven sources.
        expect(await capped.pruneAuthFailures('2026-01-10T10:00:00.001Z')).to.equal(5)
      } finally {
        await capped.close()
      }
    })

    it('prunes the windows that started before a time, and refuses arguments out of bounds', async () => {
      const early = '2026-01-10T09:00:00.000Z'
      const late = '2026-01-10T10:00:00.000Z'
      await store.recordAuthFailure('enroll', '192.0.2.1', early)
      await store.recordAuthFailure('api-admin', '192.0.2.2', early)
      await store.recordAuthFailure('enroll', '192.0.2.1', late)
      expect(await store.pruneAuthFailures(late)).to.equal(2)
      expect(await store.authFailureCount('enroll', '192.0.2.1', early)).to.equal(0)
      expect(await store.authFailureCount('enroll', '192.0.2.1', late)).to.equal(1)
      expect(await store.pruneAuthFailures(late)).to.equal(0)
      expect(await refused(store.recordAuthFailure('enroll', '', late))).to.equal(true)
      expect(await refused(store.recordAuthFailure('enroll', 'x'.repeat(129), late))).to.equal(true)
      expect(await refused(store.recordAuthFailure('enroll', '192.0.2.1', '2026-01-10 10:00'))).to.equal(true)
      expect(await refused(store.pruneAuthFailures('yesterday'))).to.equal(true)
    })
  })
}

async function enrolled(store: CollectorStore, hostname: string): Promise<AgentRow> {
  const row = agent({hostname})
  const hash = randomUUID()
  await store.insertToken({hash, expires_at: '2099-01-01T00:00:00.000Z', uses_left: 1})
  expect(await store.enrollAgent(hash, NOW, row)).to.equal(true)
  return row
}
