// disconnect --keep-collector against the real collector: the collector runs in the "gateway"
// namespace, the agent enrolls from the "PC" namespace, and the incident notices reach the fleet
// (isolated, then reconnected) through the one opening the cut leaves. Real nftables, real mTLS.
import {type ChildProcess, spawn} from 'node:child_process'
import {mkdtempSync} from 'node:fs'
import {hostname as osHostname, tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {fleet} from '../../src/collector/fleet.js'
import {defaultDbUrl, openStore} from '../../src/collector/store/open-store.js'
import {createLab, type Lab, requireLab} from '../helpers/netns.js'
import {type CliResult, DEV_BIN, runCli} from '../helpers/run-cli.js'

const HOST = osHostname()
const PORT = 8443

const json = <T>(r: CliResult): T => (JSON.parse(r.stdout) as {result: T}).result

describe('disconnect --keep-collector with the real collector (network namespaces)', function () {
  this.timeout(180_000)
  let lab: Lab
  let collector: ChildProcess | undefined

  before(async function () {
    requireLab(this)
    lab = await createLab()
  })

  after(async () => {
    collector?.kill('SIGKILL')
    await lab?.destroy()
  })

  it('keeps only the collector reachable, and the fleet sees the PC isolated, then reconnected', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'nmg-incident-collector-')), 'c')
    const state = mkdtempSync(join(tmpdir(), 'nmg-incident-agent-'))
    const init = json<{ca_fingerprint: string}>(await runCli(['collector', 'init', '--dir', dir, '--host', lab.peerAddr, '--json']))
    const {token} = json<{token: string}>(await runCli(['collector', 'token', 'create', '--dir', dir, '--json']))
    collector = spawn(lab.inPeer([process.execPath, DEV_BIN])[0] as string, [...lab.inPeer([process.execPath, DEV_BIN]).slice(1), 'collector', 'serve', '--dir', dir, '--port', String(PORT), '--host', lab.peerAddr], {stdio: 'ignore'})
    for (let i = 0; i < 120 && !(await lab.canConnect(PORT, 500)); i++) await new Promise((r) => setTimeout(r, 250))

    const inPc = (args: string[]): Promise<CliResult> => runCli(args, {command: lab.inNs([process.execPath, DEV_BIN]), env: {NMG_EVIDENCE_ITEM_TIMEOUT_MS: '4000', NMG_STATE_DIR: state}})
    const enrolled = await inPc(['enroll', `https://${lab.peerAddr}:${PORT}`, '--token', token, '--ca-fingerprint', init.ca_fingerprint, '--json'])
    expect(enrolled.code, enrolled.stdout + enrolled.stderr).to.equal(0)
    const agentId = json<{agent_id: string}>(enrolled).agent_id
    await lab.serveTcp(8080)

    const cut = await inPc(['disconnect', '--confirm', HOST, '--keep-collector', '--reason', '测试', '--json'])
    expect(cut.code, cut.stdout + cut.stderr).to.equal(0)
    const result = json<{notice: string; keep_collector: {port: number}; verification: {collector: string; gateway: string}}>(cut)
    expect(result.notice).to.equal('sent')
    expect(result.verification).to.deep.equal({collector: 'reachable', gateway: 'blocked'})
    expect(await lab.canConnect(8080, 800)).to.equal(false)

    const store = await openStore(defaultDbUrl(dir))
    try {
      const isolated = (await fleet(store, new Date(), 3)).find((a) => a.agent_id === agentId)
      expect(isolated).to.include({hostname: HOST, isolated: true})
      const incidents = await store.listIncidents(agentId)
      expect(incidents.map((i) => i.event)).to.deep.equal(['isolated'])
      expect(incidents[0]).to.include({method: 'nftables', reason: '测试'})

      const back = await inPc(['reconnect', '--confirm', HOST, '--json'])
      expect(back.code, back.stdout + back.stderr).to.equal(0)
      expect(json<{notice: string}>(back).notice).to.equal('sent')
      expect((await fleet(store, new Date(), 3)).find((a) => a.agent_id === agentId)).to.include({isolated: false})
      expect((await store.listIncidents(agentId)).map((i) => i.event)).to.deep.equal(['reconnected', 'isolated'])
    } finally {
      await store.close()
    }
    expect(await lab.canConnect(8080)).to.equal(true)
  })
})
