// Issue #11, 2.3: with the collector named by DNS, --keep-collector left the collector's address
// open but not DNS, so the incident notice (and any report flushed while isolated) could not be
// sent, while verification, a bare TCP connect to the address, said "reachable". Uploads now go to
// the addresses resolved before the cut, with the name kept for SNI and the certificate check.
import {type ChildProcess, spawn, spawnSync} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {hostname as osHostname, tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {agentPaths} from '../../src/agent/paths.js'
import {keptAddresses} from '../../src/agent/kept-route.js'
import {writeJournal} from '../../src/incident/journal.js'
import {queueIncidentNotice} from '../../src/incident/notice.js'
import {resolveCollector} from '../../src/incident/resolve-collector.js'
import type {CollectorEndpoint, Journal} from '../../src/incident/types.js'
import {collectorAnswers} from '../../src/incident/verify-cut.js'
import {defaultDbUrl, openStore} from '../../src/collector/store/open-store.js'
import {writeAgentIdentity} from '../helpers/agent-identity.js'
import {createLab, type Lab, requireLab} from '../helpers/netns.js'
import {hasCommand, requirePart} from '../helpers/require-part.js'
import {type CliResult, DEV_BIN, runCli} from '../helpers/run-cli.js'
import {queueSampleReports} from '../helpers/enrolled-agent.js'
import {sampleJournal} from '../helpers/sample-journal.js'
import {TestCa, TestCollector} from '../helpers/test-collector.js'

// .test is reserved (RFC 2606): no DNS server anywhere answers for it, as none does after the cut.
const NAME = 'collector.nmg.test'

describe('--keep-collector uploads without DNS (#11 2.3, real TLS on loopback)', function () {
  this.timeout(30_000)
  const ca = new TestCa()
  // Certificates for names only: a connection verified against 127.0.0.1 would fail.
  const collector = new TestCollector(ca, {dns: [NAME], ip: []})
  const impostor = new TestCollector(ca, {dns: ['other.nmg.test'], ip: []})

  before(async () => {
    await collector.start()
    await impostor.start()
  })

  after(async () => {
    await collector.stop()
    await impostor.stop()
  })

  /** An agent of `server` by NAME, and the journal disconnect writes: the name resolved before the cut (the seam plays DNS). */
  const isolatedAgent = async (server: TestCollector): Promise<{agentId: string; journal: Journal; keep: CollectorEndpoint; root: string}> => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-keepdns-'))
    const url = `https://${NAME}:${server.port}`
    const agentId = writeAgentIdentity(root, url, ca)
    const keep = await resolveCollector(url, {lookup: async (host) => (host === NAME ? ['127.0.0.1'] : [])})
    const journal = sampleJournal(root, {keep_collector: keep})
    await writeJournal(journal, root)
    return {agentId, journal, keep, root}
  }

  const notice = (journal: Journal, root: string) => queueIncidentNotice({event: 'isolated', flush: true, journal, manifestSha256: null, now: () => new Date(), root})

  it('delivers the notice and the queued reports to the address resolved before the cut, the name verified by TLS', async () => {
    const {agentId, journal, keep, root} = await isolatedAgent(collector)
    const url = `https://${NAME}:${collector.port}`
    expect(keep.addresses).to.deep.equal(['127.0.0.1'])
    // Verification shakes hands the way the upload goes, so "reachable" means the notice can go.
    expect(await collectorAnswers(keep, 300, root)).to.equal(true)
    const reports = await queueSampleReports({identity: {agent_id: agentId}, paths: agentPaths(root)}, 2, new Date())

    const sent = await notice(journal, root)
    expect(sent).to.deep.equal({outcome: 'sent', warnings: []})
    expect(collector.notices).to.have.length(1)
    expect(collector.stored).to.include.members(reports)
    expect(collector.clientCns.filter((cn) => cn === agentId)).to.have.length(3)

    // Only while an incident keeps this collector: once reconnect archived the journal (here: a
    // journal keeping another collector) nothing is pinned, and the name goes to DNS as usual.
    expect(await keptAddresses(url, agentPaths(root))).to.deep.equal(['127.0.0.1'])
    await writeJournal(sampleJournal(root, {keep_collector: {...keep, host: 'elsewhere.nmg.test', url: `https://elsewhere.nmg.test:${collector.port}`}}), root)
    expect(await keptAddresses(url, agentPaths(root))).to.equal(null)
  })

  it('refuses a server at that address whose certificate names another host: nothing is sent, verification says it does not answer', async () => {
    const {journal, keep, root} = await isolatedAgent(impostor)
    expect(await collectorAnswers(keep, 300, root)).to.equal(false)
    const result = await notice(journal, root)
    expect(result.outcome).to.equal('queued')
    expect(result.warnings).to.deep.equal([{key: 'incident.noticeQueued', params: {code: 'ERR_TLS_CERT_ALTNAME_INVALID'}}])
    expect(impostor.bodies).to.deep.equal([])
    expect(impostor.clientCns).to.deep.equal([])
  })
})

describe('--keep-collector with the collector named by DNS (#11 2.3, network namespaces, real nftables)', function () {
  this.timeout(180_000)
  const PORT = 8443
  let lab: Lab
  let collector: ChildProcess | undefined

  before(async function () {
    requireLab(this)
    requirePart(this, hasCommand('mount'), 'mount (package mount)')
    lab = await createLab()
  })

  after(async () => {
    collector?.kill('SIGKILL')
    await lab?.destroy()
  })

  const json = <T>(r: CliResult): T => (JSON.parse(r.stdout) as {result: T}).result

  it('the notice reaches the collector after the cut took DNS away, and reconnect\'s too', async () => {
    // The gateway namespace serves DNS for the collector's name and the collector itself; the PC
    // resolves through that DNS server only, which the cut then blocks like everything else.
    await lab.serveDns({[NAME]: lab.peerAddr})
    const dir = join(mkdtempSync(join(tmpdir(), 'nmg-keepdns-collector-')), 'c')
    const state = mkdtempSync(join(tmpdir(), 'nmg-keepdns-agent-'))
    const init = json<{ca_fingerprint: string}>(await runCli(['collector', 'init', '--dir', dir, '--host', NAME, '--json']))
    const {token} = json<{token: string}>(await runCli(['collector', 'token', 'create', '--dir', dir, '--json']))
    const serve = lab.inPeer([process.execPath, DEV_BIN, 'collector', 'serve', '--dir', dir, '--port', String(PORT), '--host', lab.peerAddr])
    collector = spawn(serve[0] as string, serve.slice(1), {stdio: 'ignore'})
    for (let i = 0; i < 120 && !(await lab.canConnect(PORT, 500)); i++) await new Promise((r) => setTimeout(r, 250))

    const inPc = (args: string[]): Promise<CliResult> =>
      runCli(args, {command: lab.inNsResolving([process.execPath, DEV_BIN]), env: {NMG_EVIDENCE_ITEM_TIMEOUT_MS: '4000', NMG_STATE_DIR: state}})
    const resolves = (): boolean => {
      const [file, ...args] = lab.inNsResolving(['getent', 'ahostsv4', NAME])
      return spawnSync(file as string, args, {timeout: 20_000}).status === 0
    }
    expect(resolves()).to.equal(true)
    const enrolled = await inPc(['enroll', `https://${NAME}:${PORT}`, '--token', token, '--ca-fingerprint', init.ca_fingerprint, '--json'])
    expect(enrolled.code, enrolled.stdout + enrolled.stderr).to.equal(0)
    const agentId = json<{agent_id: string}>(enrolled).agent_id

    const cut = await inPc(['disconnect', '--confirm', osHostname(), '--keep-collector', '--reason', 'DNS', '--json'])
    expect(cut.code, cut.stdout + cut.stderr).to.equal(0)
    const result = json<{notice: string; keep_collector: CollectorEndpoint; verification: {collector: string; gateway: string}}>(cut)
    expect(result.keep_collector).to.deep.include({addresses: [lab.peerAddr], host: NAME})
    expect(result.verification).to.deep.equal({collector: 'reachable', gateway: 'blocked'})
    expect(result.notice).to.equal('sent')
    // The name no longer resolves on the PC: the notice went by the address resolved before.
    expect(resolves()).to.equal(false)

    const store = await openStore(defaultDbUrl(dir))
    try {
      expect((await store.listIncidents(agentId)).map((i) => i.event)).to.deep.equal(['isolated'])
      const back = await inPc(['reconnect', '--confirm', osHostname(), '--json'])
      expect(back.code, back.stdout + back.stderr).to.equal(0)
      expect(json<{notice: string}>(back).notice).to.equal('sent')
      expect((await store.listIncidents(agentId)).map((i) => i.event)).to.deep.equal(['reconnected', 'isolated'])
    } finally {
      await store.close()
    }
    expect(resolves()).to.equal(true)
  })
})
