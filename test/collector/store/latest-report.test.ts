// The fleet overview reads each agent's newest report through a pointer kept on insert (migration 2):
// it must agree with listReports' order whatever order reports arrive in, and a database made
// before the pointer existed must get it filled in on upgrade.
import {randomUUID} from 'node:crypto'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import Database from 'better-sqlite3'
import {expect} from 'chai'

import {MIGRATIONS} from '../../../src/collector/store/migrations.js'
import {openStore} from '../../../src/collector/store/open-store.js'
import {agentParams} from '../../../src/collector/store/row-mapping.js'
import {SQL} from '../../../src/collector/store/sql.js'
import type {AgentRow, CollectorStore, IncidentRow, ReportRow} from '../../../src/collector/store/types.js'
import {freshDatabase, POSTGRES_PACKAGE, postgresBinDir} from '../../helpers/postgres.js'
import {requirePart} from '../../helpers/require-part.js'

const NOW = '2026-01-10T10:00:00.000Z'

function agent(hostname: string): AgentRow {
  return {agent_id: randomUUID(), hostname, cert_fingerprint: 'ab'.repeat(32), cert_serial: '01', enrolled_at: NOW, revoked_at: null, last_seen: null}
}

/** A report the collector received at `receivedAt`, generated then too unless `generatedAt` says otherwise. */
function report(agentId: string, receivedAt: string, reportId: string = randomUUID(), generatedAt = receivedAt): ReportRow {
  return {report_id: reportId, agent_id: agentId, generated_at: generatedAt, received_at: receivedAt, score: 0.25, failing: ['screen-lock'], body: {}}
}

async function enrolled(store: CollectorStore, row: AgentRow): Promise<void> {
  const hash = randomUUID()
  await store.insertToken({hash, expires_at: '2099-01-01T00:00:00.000Z', uses_left: 1})
  expect(await store.enrollAgent(hash, NOW, row)).to.equal(true)
}

const backends: {name: string; url: (ctx: Mocha.Context) => Promise<string>}[] = [
  {name: 'SQLite', url: async () => `sqlite:${join(mkdtempSync(join(tmpdir(), 'nmg-latest-')), 'collector.db')}`},
  {
    name: 'PostgreSQL',
    async url(ctx) {
      requirePart(ctx, postgresBinDir() !== null, POSTGRES_PACKAGE)
      return freshDatabase()
    },
  },
]

for (const backend of backends) {
  describe(`latest report per agent (${backend.name})`, function () {
    this.timeout(30_000)
    let store: CollectorStore

    beforeEach(async function () {
      store = await openStore(await backend.url(this))
    })
    afterEach(async () => {
      await store?.close()
    })

    it('follows the report received last (ties: the smaller id), whatever the agent dated it', async () => {
      const busy = agent('pc-b')
      const quiet = agent('pc-a')
      await enrolled(store, busy)
      await enrolled(store, quiet)
      const newest = report(busy.agent_id, '2026-01-10T09:00:00.000Z', '22222222-0000-4000-8000-000000000000')
      await store.insertReport(newest)
      await store.insertReport(report(busy.agent_id, '2026-01-10T08:00:00.000Z'))
      // Received earlier but dated later by the agent's clock: the agent's clock decides nothing.
      await store.insertReport(report(busy.agent_id, '2026-01-10T08:30:00.000Z', undefined, '2026-01-10T09:04:00.000Z'))
      // A resend of the newest and a same-time report with a larger id move nothing.
      await store.insertReport({...newest, score: 0.9})
      await store.insertReport(report(busy.agent_id, '2026-01-10T09:00:00.000Z', '33333333-0000-4000-8000-000000000000'))
      let rows = await store.listAgentsWithLatest()
      expect(rows.map((r) => r.agent.hostname)).to.deep.equal(['pc-a', 'pc-b'])
      expect(rows[0]?.latest).to.equal(null)
      expect(rows[1]?.latest).to.deep.include({report_id: newest.report_id, score: 0.25, failing: ['screen-lock']})

      const tie = report(busy.agent_id, '2026-01-10T09:00:00.000Z', '11111111-0000-4000-8000-000000000000')
      await store.insertReport(tie)
      rows = await store.listAgentsWithLatest()
      expect(rows[1]?.latest?.report_id).to.equal(tie.report_id)
      expect(rows[1]?.latest?.report_id).to.equal((await store.listReportSummaries(busy.agent_id, {limit: 1})).reports[0]?.report_id)
    })

    it('follows the newest incident notice (ties: the larger notice_id) whatever the arrival order', async () => {
      const pc = agent('pc-a')
      await enrolled(store, pc)
      const notice = (at: string, id: string, event: IncidentRow['event']): IncidentRow => ({notice_id: id, incident_id: randomUUID(), agent_id: pc.agent_id, event, at, received_at: NOW, hostname: 'pc-a', method: null, reason: null, evidence_sha256: null, keep_collector: false})
      const at = '2026-01-10T09:00:00.000Z'
      await store.insertIncident(notice(at, '22222222-0000-4000-8000-000000000000', 'reconnected'), '{}')
      await store.insertIncident(notice('2026-01-10T08:00:00.000Z', '99999999-0000-4000-8000-000000000000', 'isolated'), '{}')
      // Same time, smaller id: loses the tie.
      await store.insertIncident(notice(at, '11111111-0000-4000-8000-000000000000', 'isolated'), '{}')
      expect((await store.listAgentsWithLatest())[0]?.incident).to.deep.equal({event: 'reconnected', at})
      await store.insertIncident(notice(at, '33333333-0000-4000-8000-000000000000', 'isolated'), '{}')
      expect((await store.listAgentsWithLatest())[0]?.incident).to.deep.equal({event: 'isolated', at})
      expect((await store.listIncidents(pc.agent_id))[0]?.notice_id).to.equal('33333333-0000-4000-8000-000000000000')
    })
  })
}

describe('latest report migration (SQLite)', () => {
  it('fills the pointer in for reports stored before it existed', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nmg-latest-old-')), 'collector.db')
    const old = new Database(file)
    old.exec(SQL.migrationsTable)
    for (const statement of MIGRATIONS[0] as string[]) old.exec(statement)
    old.prepare(SQL.recordMigration).run({applied_at: NOW, version: 1})
    const row = agent('pc-old')
    old.prepare(SQL.insertAgent).run(agentParams(row))
    const insert = old.prepare(SQL.insertReport)
    for (const [id, at] of [
      ['aaaaaaaa-0000-4000-8000-000000000000', '2026-01-09T00:00:00.000Z'],
      ['bbbbbbbb-0000-4000-8000-000000000000', '2026-01-10T00:00:00.000Z'],
    ]) insert.run({report_id: id, agent_id: row.agent_id, generated_at: at, received_at: at, score: 0.5, failing: '[]', body: '{}'})
    old.close()

    const store = await openStore(`sqlite:${file}`)
    try {
      const [only] = await store.listAgentsWithLatest()
      expect(only?.latest?.report_id).to.equal('bbbbbbbb-0000-4000-8000-000000000000')
      // Stored before clauses were kept: the start-up backfill finds it.
      expect(await store.agentsMissingClauses(10)).to.deep.equal([{agent_id: row.agent_id, report_id: 'bbbbbbbb-0000-4000-8000-000000000000'}])
      // Its history pages through the index that replaced migration 1's.
      expect((await store.listReportSummaries(row.agent_id, {limit: 1})).reports.map((r) => r.report_id)).to.deep.equal(['bbbbbbbb-0000-4000-8000-000000000000'])
      // And it is maintained from then on.
      await store.insertReport(report(row.agent_id, '2026-01-11T00:00:00.000Z', 'cccccccc-0000-4000-8000-000000000000'))
      expect((await store.listAgentsWithLatest())[0]?.latest?.report_id).to.equal('cccccccc-0000-4000-8000-000000000000')
    } finally {
      await store.close()
    }
  })
})
