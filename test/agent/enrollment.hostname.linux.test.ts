// A PC named in Chinese enrolls: the real CLI in its own UTS namespace (so this machine's name is
// never touched) against a real collector on loopback, and the fleet shows the name as typed.
import {mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {API, caFingerprint} from '../../src/collector/protocol.js'
import {type CollectorInstance, startTestCollector} from '../helpers/collector-instance.js'
import {insertEnrollToken} from '../helpers/enrolled-agent.js'
import {hasCommand, isRoot, requirePart} from '../helpers/require-part.js'
import {DEV_BIN, runCli} from '../helpers/run-cli.js'

const NAME = '宣传部-张伟'

describe('enrollment of a PC with a non-ASCII hostname', function () {
  this.timeout(120_000)
  let collector: CollectorInstance

  before(async function () {
    requirePart(this, process.platform === 'linux' && isRoot() && hasCommand('unshare'), 'unshare (package util-linux) and root, for a UTS namespace')
    collector = await startTestCollector('nmg-uts-')
  })
  after(() => collector?.close())

  it(`enrolls as ${NAME} (201) and the collector stores that hostname`, async () => {
    const token = await insertEnrollToken(collector.store, 1)
    const state = mkdtempSync(join(tmpdir(), 'nmg-uts-agent-'))
    // `hostname` (net-tools) refuses non-ASCII names; the kernel takes any bytes, per namespace.
    const inNamespace = ['unshare', '--uts', 'sh', '-c', 'printf %s "$0" > /proc/sys/kernel/hostname && exec "$@"', NAME, process.execPath, DEV_BIN]
    const url = `https://127.0.0.1:${collector.running.port}`
    const r = await runCli(['enroll', url, '--token', token, '--ca-fingerprint', caFingerprint(collector.ca.certPem), '--json'], {command: inNamespace, env: {NMG_STATE_DIR: state}})
    expect(r.code, r.stdout + r.stderr).to.equal(0)
    const agentId = (JSON.parse(r.stdout) as {result: {agent_id: string}}).result.agent_id
    const detail = await collector.call(`${API.agentPrefix}${agentId}`, {headers: {authorization: `Bearer ${collector.adminToken}`}})
    expect(detail.status, detail.text).to.equal(200)
    expect(JSON.stringify(detail.json)).to.include(`"hostname":"${NAME}"`)
  })
})
