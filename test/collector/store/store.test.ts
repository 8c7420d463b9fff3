import {randomUUID} from 'node:crypto'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {openStore} from '../../../src/collector/store/open-store.js'
import type {AgentRow, CollectorStore, ReportRow} from '../../../src/collector/store/types.js'
import {freshDatabase, POSTGRES_PACKAGE, postgresBinDir} from '../../helpers/postgres.js'
import {requirePart} from '../../helpers/require-part.js'

const NOW = '2026-01-10T10:00:00.000Z'

function agent(overrides: Partial<AgentRow> = {}): AgentRow {
  return {agent_id: randomUUID(), hostname: 'pc-1', cert_fingerprint: 'ab'.repeat(32), cert_serial: '01', enrolled_at: NOW, revoked_at: null, last_seen: null, ...overrides}
}

function report(agentId: string, overrides: Partial<ReportRow> = {}): ReportRow {
  return {report_id: randomUUID(), agent_id: agentId, generated_at: NOW, received_at: NOW, score: 0.5, failing: ['screen-lock'], body: {schema: 'nm-guard/report@1', x: '中文'}, ...overrides}
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

    it('refuses a report for an agent it does not know', async () => {
      let failed = false
      try {
        await store.insertReport(report(randomUUID()))
      } catch {
        failed = true
      }
      expect(failed).to.equal(true)
    })
  })
}
