import {randomUUID} from 'node:crypto'
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {backfillFailingClauses} from '../../src/collector/backfill-clauses.js'
import {openStore} from '../../src/collector/store/open-store.js'
import type {CollectorStore} from '../../src/collector/store/types.js'

describe('failing-clause backfill at start', () => {
  let store: CollectorStore

  before(async () => {
    store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'nmg-backfill-')), 'collector.db')}`)
  })

  after(async () => {
    await store?.close()
  })

  async function oldStyleAgent(hostname: string, results: unknown[]): Promise<string> {
    const agentId = randomUUID()
    await store.insertToken({hash: agentId, expires_at: '2999-01-01T00:00:00.000Z', uses_left: 1})
    await store.enrollAgent(agentId, '2026-01-01T00:00:00.000Z', {agent_id: agentId, hostname, cert_fingerprint: 'f'.repeat(64), cert_serial: '01', enrolled_at: '2026-01-01T00:00:00.000Z', revoked_at: null, last_seen: null})
    // As a collector before migration 3 stored it: no failing clauses on the agent row.
    await store.insertReport({report_id: randomUUID(), agent_id: agentId, generated_at: '2026-01-02T00:00:00.000Z', received_at: '2026-01-02T00:00:00.000Z', score: 0, failing: [], body: {results}})
    return agentId
  }

  it('fills the clauses of old newest reports once, through the report view, so no page reads a body', async () => {
    const plain = await oldStyleAgent('gc-pc-01', [{id: 'screen-lock', status: 'fail', clause: {id: '四(二)-7'}}, {id: 'av', status: 'pass', clause: {id: '四(二)-4'}}])
    const hostile = await oldStyleAgent('gc-pc-02', Array.from({length: 500}, (_, i) => ({id: `c${i}`, status: 'fail', clause: {id: `X-${i}`}})))
    const before = new Map((await store.listAgentsWithLatest()).map((a) => [a.agent.agent_id, a.latest?.failing_clauses]))
    expect([before.get(plain), before.get(hostile)]).to.deep.equal([null, null])
    expect(await backfillFailingClauses(store)).to.equal(2)
    const after = new Map((await store.listAgentsWithLatest()).map((a) => [a.agent.agent_id, a.latest?.failing_clauses]))
    // Stored before the bound existed: none rather than 500.
    expect([after.get(plain), after.get(hostile)]).to.deep.equal([['四(二)-7'], []])
    expect(await backfillFailingClauses(store)).to.equal(0)
  })
})
