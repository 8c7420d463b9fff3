// The agent against the real collector (src/collector/server.ts), end to end on loopback: the
// collector's own CA chain must be pinnable, and its answers must drive the queue as the contract says.
import {mkdtempSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {requireIdentity} from '../../src/agent/enrollment.js'
import {agentPaths} from '../../src/agent/paths.js'
import {enqueue} from '../../src/agent/queue.js'
import {flushWith} from '../../src/agent/reporting.js'
import {loadCollectorDir} from '../../src/collector/collector-dir.js'
import {openCollectorStore} from '../../src/collector/command-support.js'
import {type RunningCollector, startCollector} from '../../src/collector/server.js'
import type {CollectorStore} from '../../src/collector/store/types.js'
import {sampleNotice} from '../helpers/enrolled-agent.js'
import {compliantFacts} from '../helpers/facts-builder.js'
import {runCli, tempFile} from '../helpers/run-cli.js'
import {storedReports} from '../helpers/stored-reports.js'
import {SAMPLE_POLICY_ARGS} from '../helpers/sample-policy.js'

describe('agent against the real collector', function () {
  this.timeout(120_000)
  const dir = join(mkdtempSync(join(tmpdir(), 'nmg-real-')), 'collector')
  const state = mkdtempSync(join(tmpdir(), 'nmg-real-agent-'))
  const facts = tempFile('clean.json', compliantFacts('linux'))
  let running: RunningCollector
  let store: CollectorStore
  let fingerprint: string
  let token: string

  before(async () => {
    const init = await runCli(['collector', 'init', '--dir', dir, '--host', '127.0.0.1', '--json'])
    expect(init.code, init.stderr).to.equal(0)
    fingerprint = JSON.parse(init.stdout).result.ca_fingerprint
    const created = await runCli(['collector', 'token', 'create', '--dir', dir, '--json'])
    expect(created.code, created.stderr).to.equal(0)
    token = JSON.parse(created.stdout).result.token
    const loaded = loadCollectorDir(dir)
    ;({store} = await openCollectorStore(dir, undefined))
    running = await startCollector({adminTokenSha256: loaded.settings.admin_token_sha256, ca: loaded.ca, server: loaded.server, staleDays: 7, store}, 0, '127.0.0.1')
  })
  after(async () => {
    await running?.close()
    await store?.close()
  })

  it('enrolls, reports, and treats a resent report as already stored', async () => {
    const env = {NMG_STATE_DIR: state}
    const enrolled = await runCli(['enroll', `https://127.0.0.1:${running.port}`, '--token', token, '--ca-fingerprint', fingerprint], {env})
    expect(enrolled.code, enrolled.stderr).to.equal(0)
    const audit = await runCli(['audit', '--facts', facts, '--format', 'json', '--report', ...SAMPLE_POLICY_ARGS], {env})
    expect(audit.code, audit.stderr).to.equal(0)
    const report = JSON.parse(audit.stdout)
    expect((await storedReports(store)).map((r) => r.report_id)).to.deep.equal([report.report_id])

    // The same report again (as after a crash between commit and removal): 200, and it leaves the queue.
    const paths = agentPaths(state)
    await enqueue(paths, report)
    const result = await flushWith(await requireIdentity(paths), paths)
    expect(result.duplicates).to.have.length(1)
    expect(readdirSync(paths.queue).filter((n) => n.endsWith('.json'))).to.deep.equal([])

    // A used token is refused by the real collector.
    const reused = await runCli(['enroll', `https://127.0.0.1:${running.port}`, '--token', token, '--ca-fingerprint', fingerprint, '--force'], {env: {NMG_STATE_DIR: mkdtempSync(join(tmpdir(), 'nmg-real-agent-'))}})
    expect(reused.code).to.equal(1)
    expect(reused.stderr).to.match(/refused the enrollment token/)
    expect(enrolled.stdout + enrolled.stderr + audit.stderr + reused.stderr).to.not.include(token)
  })

  it('delivers queued incident notices with the reports, each stored once', async () => {
    const paths = agentPaths(state)
    const identity = await requireIdentity(paths)
    const isolated = sampleNotice(identity.agent_id)
    const reconnected = sampleNotice(identity.agent_id, {at: '2026-01-10T10:00:00.000Z', event: 'reconnected', incident_id: isolated.incident_id})
    await enqueue(paths, isolated, new Date('2026-01-10T09:00:00.000Z'))
    await enqueue(paths, reconnected, new Date('2026-01-10T10:00:00.000Z'))
    await enqueue(paths, isolated, new Date('2026-01-10T10:00:01.000Z'))
    const result = await flushWith(identity, paths)
    expect([result.sent.length, result.duplicates.length, result.rejected, result.unreachable]).to.deep.equal([2, 1, [], null])
    expect((await store.listIncidents(identity.agent_id)).map((i) => [i.notice_id, i.event])).to.deep.equal([
      [reconnected.notice_id, 'reconnected'],
      [isolated.notice_id, 'isolated'],
    ])
  })
})
