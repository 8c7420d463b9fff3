// SQLite commits reports that arrive together in one transaction: each caller must still get its
// own answer — stored, duplicate, or its own error — and a bad report must not sink the others.
import {randomUUID} from 'node:crypto'
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {openStore} from '../../../src/collector/store/open-store.js'
import type {CollectorStore, ReportRow} from '../../../src/collector/store/types.js'
import {requirePart} from '../../helpers/require-part.js'
import {ROOT} from '../../helpers/run-cli.js'
import {storedReports} from '../../helpers/stored-reports.js'

const STRACE = '/usr/bin/strace'

const NOW = '2026-01-10T10:00:00.000Z'

const report = (agentId: string, reportId: string = randomUUID()): ReportRow => ({report_id: reportId, agent_id: agentId, generated_at: NOW, received_at: NOW, score: 1, failing: [], body: {}})

describe('SQLite group commit', () => {
  let store: CollectorStore
  let agentId: string

  beforeEach(async () => {
    store = await openStore(`sqlite:${join(mkdtempSync(join(tmpdir(), 'nmg-group-')), 'collector.db')}`)
    agentId = randomUUID()
    await store.insertToken({hash: 'h', expires_at: '2099-01-01T00:00:00.000Z', uses_left: 1})
    await store.enrollAgent('h', NOW, {agent_id: agentId, hostname: 'pc', cert_fingerprint: 'ab', cert_serial: '01', enrolled_at: NOW, revoked_at: null, last_seen: null})
  })
  afterEach(async () => {
    await store?.close()
  })

  it('answers each report of one batch on its own', async () => {
    const twice = report(agentId)
    const results = await Promise.allSettled([store.insertReport(report(agentId)), store.insertReport(twice), store.insertReport({...twice}), store.insertReport(report(randomUUID())), store.insertReport(report(agentId))])
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'rejected'))).to.deep.equal([true, true, false, 'rejected', true])
    expect(await storedReports(store)).to.have.length(3)
  })

  it('commits what is pending before it closes', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'nmg-group-close-')), 'collector.db')
    const own = await openStore(`sqlite:${file}`)
    await own.insertToken({hash: 'h', expires_at: '2099-01-01T00:00:00.000Z', uses_left: 1})
    await own.enrollAgent('h', NOW, {agent_id: agentId, hostname: 'pc', cert_fingerprint: 'ab', cert_serial: '01', enrolled_at: NOW, revoked_at: null, last_seen: null})
    const pending = [own.insertReport(report(agentId)), own.insertReport(report(agentId))]
    await own.close()
    expect(await Promise.all(pending)).to.deep.equal([true, true])
    const reopened = await openStore(`sqlite:${file}`)
    expect(await storedReports(reopened)).to.have.length(2)
    await reopened.close()
  })

  /**
   * Runs `steps` (lines of a script, after a store with one enrolled agent is open) under strace,
   * each `mark('X')` writing X to stdout; answers whether an fsync happened between two marks.
   */
  function traced(name: string, steps: string[], marks: string[]): (from: string, to: string) => boolean {
    const dir = mkdtempSync(join(tmpdir(), `nmg-${name}-`))
    const script = join(dir, `${name}.mts`)
    writeFileSync(script, [
      `import {openStore} from ${JSON.stringify(join(ROOT, 'src/collector/store/open-store.ts'))}`,
      `const store = await openStore(${JSON.stringify(`sqlite:${join(dir, 'collector.db')}`)})`,
      `const mark = (text) => process.stdout.write(text + '\\n')`,
      `await store.insertToken({hash: 'h', expires_at: '2099-01-01T00:00:00.000Z', uses_left: 1})`,
      `await store.enrollAgent('h', '${NOW}', {agent_id: '${agentId}', hostname: 'pc', cert_fingerprint: 'ab', cert_serial: '01', enrolled_at: '${NOW}', revoked_at: null, last_seen: null})`,
      ...steps,
      'await store.close()',
    ].join('\n'))
    const trace = join(dir, 'trace')
    const run = spawnSync(STRACE, ['-f', '-e', 'trace=fsync,fdatasync,write', '-o', trace, process.execPath, '--import', 'tsx', script], {cwd: ROOT, encoding: 'utf8', timeout: 50_000})
    expect(run.stdout, run.stderr).to.equal(marks.map((m) => `${m}\n`).join(''))
    const lines = readFileSync(trace, 'utf8').split('\n')
    const at = (marker: string): number => lines.findIndex((l) => l.includes(`"${marker}\\n"`))
    expect(marks.every((m) => at(m) > -1)).to.equal(true)
    return (from, to) => lines.slice(at(from), at(to)).some((l) => /\b(fsync|fdatasync)\(/.test(l))
  }

  it('syncs the commit to disk (synchronous=FULL) before a report is acknowledged', function () {
    this.timeout(60_000)
    requirePart(this, existsSync(STRACE), 'strace (Debian package strace), to watch the fsync')
    // One report stored, then "ACK" on stdout: what the server's 201 stands for.
    const synced = traced('fsync', [`mark('READY')`, `await store.insertReport(${JSON.stringify(report(agentId))})`, `mark('ACK')`], ['READY', 'ACK'])
    expect(synced('READY', 'ACK')).to.equal(true)
  })

  it('counts a failed authentication without an fsync, and still syncs the next report', function () {
    this.timeout(60_000)
    requirePart(this, existsSync(STRACE), 'strace (Debian package strace), to watch the fsync')
    const synced = traced(
      'nofsync',
      [`mark('READY')`, `for (let i = 0; i < 5; i++) await store.recordAuthFailure('api-admin', '192.0.2.1', '${NOW}')`, `mark('COUNTED')`, `await store.insertReport(${JSON.stringify(report(agentId))})`, `mark('ACK')`],
      ['READY', 'COUNTED', 'ACK'],
    )
    expect(synced('READY', 'COUNTED')).to.equal(false)
    expect(synced('COUNTED', 'ACK')).to.equal(true)
  })
})
