// Two collector instances (one collector dir, one CA) on ONE PostgreSQL database: whichever
// instance an agent reaches, the fleet is the same, and a report stored through one is a duplicate
// (200) through the other — the idempotency lives in the database, not in a process.
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {initCollectorDir, loadCollectorDir} from '../../src/collector/collector-dir.js'
import {createCsr, type KeyAndCert, newRsaKeyPem} from '../../src/collector/pki.js'
import {API} from '../../src/collector/protocol.js'
import {type RunningCollector, startCollector} from '../../src/collector/server.js'
import {openStore} from '../../src/collector/store/open-store.js'
import type {CollectorStore} from '../../src/collector/store/types.js'
import {type CallOptions, callCollector, type Reply} from '../helpers/collector-client.js'
import {freshDatabase, POSTGRES_PACKAGE, postgresBinDir} from '../helpers/postgres.js'
import {type CertifiedAgent, enrollOverApi, insertEnrollToken, sampleReport} from '../helpers/enrolled-agent.js'
import {requirePart} from '../helpers/require-part.js'
import {storedReports} from '../helpers/stored-reports.js'

describe('two collectors on one PostgreSQL database', function () {
  this.timeout(120_000)
  let ca: KeyAndCert
  let adminToken: string
  const stores: CollectorStore[] = []
  const instances: RunningCollector[] = []

  const call = (port: number, path: string, options: CallOptions = {}): Promise<Reply> => callCollector(port, ca.certPem, path, options)

  before(async function () {
    requirePart(this, postgresBinDir() !== null, POSTGRES_PACKAGE)
    const dir = join(mkdtempSync(join(tmpdir(), 'nmg-multi-')), 'c')
    adminToken = initCollectorDir(dir, ['127.0.0.1']).admin_token
    const loaded = loadCollectorDir(dir)
    ca = loaded.ca
    const url = await freshDatabase()
    // Both open (and migrate) at once, as two collectors started together would.
    stores.push(...(await Promise.all([openStore(url), openStore(url)])))
    for (const store of stores) {
      instances.push(await startCollector({ca, server: loaded.server, adminTokenSha256: loaded.settings.admin_token_sha256, store, staleDays: 3}, 0, '127.0.0.1'))
    }
  })

  after(async () => {
    for (const instance of instances) await instance.close()
    for (const store of stores) await store.close()
  })

  it('enrolls through one, takes reports through both, and shows one fleet from either', async () => {
    const [a, b] = instances.map((i) => i.port) as [number, number]
    expect(a).to.not.equal(b)
    const token = await insertEnrollToken(stores[0] as CollectorStore, 3)
    const agents: CertifiedAgent[] = []
    for (const hostname of ['gc-pc-01', 'gc-pc-02', 'gc-pc-03']) agents.push(await enrollOverApi((path, options) => call(a, path, options), token, hostname))
    // The token's uses are shared too: instance b sees them used up.
    expect((await call(b, API.enroll, {body: {token, csr_pem: createCsr(newRsaKeyPem(), 'x'), hostname: 'h'}})).status).to.equal(401)

    const latest = new Map<string, string>()
    for (const [i, agent] of agents.entries()) {
      // An agent enrolled through a is accepted by b: both trust the same CA and read the same agents table.
      const first = sampleReport(agent.agentId, `2026-01-10T08:0${i}:00.000Z`)
      const second = sampleReport(agent.agentId, `2026-01-11T08:0${i}:00.000Z`)
      const viaA = await call(a, API.reports, {body: first, client: agent})
      const viaB = await call(b, API.reports, {body: second, client: agent})
      expect([viaA.status, viaA.json.stored, viaB.status, viaB.json.stored], viaA.text + viaB.text).to.deep.equal([201, true, 201, true])
      // Each report resent to the OTHER instance is a duplicate: 200, stored false.
      const againB = await call(b, API.reports, {body: first, client: agent})
      const againA = await call(a, API.reports, {body: second, client: agent})
      expect([againB.status, againB.json, againA.status, againA.json]).to.deep.equal([200, {report_id: first.report_id, stored: false}, 200, {report_id: second.report_id, stored: false}])
      latest.set(agent.agentId, String(second.report_id))
    }

    // The same report sent to both at once: exactly one 201, one 200, one stored row.
    const racer = agents[0] as CertifiedAgent
    const raced = sampleReport(racer.agentId, '2026-01-09T08:00:00.000Z')
    const answers = await Promise.all([call(a, API.reports, {body: raced, client: racer}), call(b, API.reports, {body: raced, client: racer})])
    expect(answers.map((r) => r.status).sort()).to.deep.equal([200, 201])
    // Received last, so the racer's latest, though the PC dated it before the others.
    latest.set(racer.agentId, String(raced.report_id))

    const headers = {authorization: `Bearer ${adminToken}`}
    const [fleetA, fleetB] = await Promise.all([call(a, API.fleet, {headers}), call(b, API.fleet, {headers})])
    expect([fleetA.status, fleetB.status]).to.deep.equal([200, 200])
    expect(fleetA.json).to.deep.equal(fleetB.json)
    const fleet = fleetA.json.agents as {agent_id: string; last_report_at: string; failing: string[]}[]
    expect(fleet.map((f) => f.agent_id).sort()).to.deep.equal(agents.map((g) => g.agentId).sort())
    for (const entry of fleet) expect(entry.failing).to.deep.equal(['screen-lock'])
    const stored = await storedReports(stores[1] as CollectorStore)
    expect(stored).to.have.length(7)
    expect(new Set(stored.map((r) => r.report_id)).size).to.equal(7)
    for (const agent of agents) expect((await storedReports(stores[0] as CollectorStore, agent.agentId))[0]?.report_id).to.equal(latest.get(agent.agentId))
  })

  it('shares the count of failed admin tokens: 10 through a, then b refuses the source too', async () => {
    const [a, b] = instances.map((i) => i.port) as [number, number]
    const wrong = {headers: {authorization: 'Bearer nmg_admin_guess'}}
    for (let i = 0; i < 10; i++) expect((await call(a, API.fleet, wrong)).status).to.equal(401)
    const refused = await call(b, API.fleet, {headers: {authorization: `Bearer ${adminToken}`}})
    expect([refused.status, Number(refused.headers['retry-after']) > 0]).to.deep.equal([429, true])
  })
})
