// provision() in process against a real collector on loopback, with agent.conf and the state dir
// in temp folders: what it writes, when it enrolls, and that the token goes once it is spent.
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, win32} from 'node:path'

import {expect} from 'chai'

import {parseAgentConf} from '../../../src/agent/install/agent-conf.js'
import {provision, provisionExit, type ProvisionOptions, type ProvisionResult} from '../../../src/agent/install/provision.js'
import {loadEnrollment} from '../../../src/agent/identity.js'
import {type AgentPaths, agentPaths} from '../../../src/agent/paths.js'
import {EXIT} from '../../../src/cli/exit-codes.js'
import {UserError} from '../../../src/cli/user-error.js'
import {caFingerprint} from '../../../src/collector/protocol.js'
import type {ExecOptions} from '../../../src/os/types.js'
import {type CollectorInstance, startTestCollector} from '../../helpers/collector-instance.js'
import {closedPort} from '../../helpers/collector-process.js'
import {insertEnrollToken} from '../../helpers/enrolled-agent.js'
import {fakeExec} from '../../helpers/fake-exec.js'
import {refusal} from '../../helpers/refusal.js'

const NOW = new Date('2026-04-05T06:07:08.000Z')
const REMOVED = `# ENROLL_TOKEN removed after enrollment (${NOW.toISOString()})`

interface Host {
  conf: string
  paths: AgentPaths
  run(extra?: Partial<ProvisionOptions>): Promise<ProvisionResult>
}

/** A PC: its own agent.conf and state dir, nothing under /etc or /var/lib. */
function host(text?: string): Host {
  const root = mkdtempSync(join(tmpdir(), 'nmg-provision-'))
  const conf = join(root, 'etc', 'agent.conf')
  const paths = agentPaths(join(root, 'state'))
  if (text !== undefined) {
    // As the package leaves it: 0600, written by root.
    mkdirSync(dirname(conf), {recursive: true})
    writeFileSync(conf, text, {mode: 0o600})
  }
  return {conf, paths, run: (extra = {}) => provision({conf, now: () => NOW, paths, platform: 'linux', timeoutMs: 5000, ...extra})}
}

describe('provision', function () {
  this.timeout(60_000)
  let collector: CollectorInstance
  let url: string
  let fingerprint: string
  const confText = (token: string, fp = fingerprint, at = url) => `# left by the package\nCOLLECTOR_URL=${at}\n; the one-time token\nENROLL_TOKEN=${token}\nCA_FINGERPRINT=${fp}\n`

  before(async () => {
    collector = await startTestCollector('nmg-provision-collector-')
    url = `https://127.0.0.1:${collector.running.port}`
    fingerprint = caFingerprint(collector.ca.certPem)
  })
  after(() => collector?.close())

  it('is not-configured, listing every missing key, when there is no agent.conf', async () => {
    const pc = host()
    const result = await pc.run()
    expect(result).to.deep.equal({conf: pc.conf, enrollment: 'not-configured', missing: ['COLLECTOR_URL', 'ENROLL_TOKEN', 'CA_FINGERPRINT'], token_removed: false})
    expect(existsSync(pc.conf)).to.equal(false)
    expect(provisionExit(result, false)).to.equal(EXIT.ok)
    expect(provisionExit(result, true)).to.equal(EXIT.error)
  })

  it('lists only the keys agent.conf lacks', async () => {
    const pc = host(`COLLECTOR_URL=${url}\n`)
    const result = await pc.run()
    expect(result.enrollment).to.equal('not-configured')
    expect(result.missing).to.deep.equal(['ENROLL_TOKEN', 'CA_FINGERPRINT'])
  })

  it('merges flags into agent.conf (0600): flags override the file, empty flags are ignored', async () => {
    const pc = host(`COLLECTOR_URL=https://old.example\nCA_FINGERPRINT=${'ab'.repeat(32)}\n`)
    const result = await pc.run({settings: {CA_FINGERPRINT: '   ', COLLECTOR_URL: ' https://new.example:8443 ', ENROLL_TOKEN: ''}})
    expect(result.enrollment).to.equal('not-configured')
    expect(result.missing).to.deep.equal(['ENROLL_TOKEN'])
    expect(parseAgentConf(readFileSync(pc.conf, 'utf8'), pc.conf)).to.deep.equal({CA_FINGERPRINT: 'ab'.repeat(32), COLLECTOR_URL: 'https://new.example:8443'})
    if (process.platform !== 'win32') expect(statSync(pc.conf).mode & 0o777).to.equal(0o600)
  })

  it('writes agent.conf from flags alone, creating its folder', async () => {
    const pc = host()
    await pc.run({settings: {COLLECTOR_URL: 'https://c.example'}})
    expect(parseAgentConf(readFileSync(pc.conf, 'utf8'), pc.conf)).to.deep.equal({COLLECTOR_URL: 'https://c.example'})
    if (process.platform !== 'win32') expect(statSync(pc.conf).mode & 0o777).to.equal(0o600)
  })

  it('leaves agent.conf untouched when every flag is empty', async () => {
    const text = `# comment kept\ncollector_url = "https://c.example"\n`
    const pc = host(text)
    await pc.run({settings: {CA_FINGERPRINT: '', COLLECTOR_URL: '  ', ENROLL_TOKEN: undefined}})
    expect(readFileSync(pc.conf, 'utf8')).to.equal(text)
  })

  it('refuses an agent.conf with an unknown key (exit 2), enrolling nothing', async () => {
    const token = await insertEnrollToken(collector.store, 1)
    const pc = host(`${confText(token)}COLECTOR_URL=typo\n`)
    let error: unknown
    try {
      await pc.run()
    } catch (caught) {
      error = caught
    }
    expect(error).to.be.instanceOf(UserError)
    expect((error as UserError).key).to.equal('provision.badConfLine')
    expect((error as UserError).exitCode).to.equal(EXIT.usage)
    expect((error as UserError).params.line).to.equal(6)
    expect(await loadEnrollment(pc.paths)).to.equal(null)
  })

  it('enrolls, then removes the spent token from agent.conf keeping everything else; a second run is already-enrolled', async () => {
    const token = await insertEnrollToken(collector.store, 1)
    const pc = host(confText(token))
    const agentsBefore = (await collector.store.listAgents()).length
    const result = await pc.run()
    expect(result.enrollment).to.equal('enrolled')
    expect(result.error).to.equal(undefined)
    expect(result.token_removed).to.equal(true)
    expect(result.url).to.equal(url)
    const agents = await collector.store.listAgents()
    expect(agents).to.have.length(agentsBefore + 1)
    expect(agents.map((a) => a.agent_id)).to.include(result.agent_id)
    expect((await loadEnrollment(pc.paths))?.agent_id).to.equal(result.agent_id)

    const bytes = readFileSync(pc.conf)
    expect(bytes.includes(Buffer.from(token))).to.equal(false)
    expect(bytes.toString('utf8')).to.equal(`# left by the package\nCOLLECTOR_URL=${url}\n; the one-time token\n${REMOVED}\nCA_FINGERPRINT=${fingerprint}\n`)
    if (process.platform !== 'win32') expect(statSync(pc.conf).mode & 0o777).to.equal(0o600)

    const again = await pc.run()
    expect(again).to.deep.equal({agent_id: result.agent_id, conf: pc.conf, enrollment: 'already-enrolled', token_removed: false, url})
    expect(await collector.store.listAgents()).to.have.length(agentsBefore + 1)
    expect(readFileSync(pc.conf)).to.deep.equal(bytes)
  })

  it('when already enrolled, removes a new token from agent.conf without sending it', async () => {
    const pc = host(confText(await insertEnrollToken(collector.store, 1)))
    expect((await pc.run()).enrollment).to.equal('enrolled')
    const unused = await insertEnrollToken(collector.store, 1)
    const agentsBefore = (await collector.store.listAgents()).length
    const result = await pc.run({settings: {ENROLL_TOKEN: unused}})
    expect(result.enrollment).to.equal('already-enrolled')
    expect(result.token_removed).to.equal(true)
    const text = readFileSync(pc.conf, 'utf8')
    expect(text).to.not.include(unused)
    expect(text).to.include(REMOVED)
    expect(await collector.store.listAgents()).to.have.length(agentsBefore)
    // Never sent: the token still enrolls another PC.
    expect((await host(confText(unused)).run()).enrollment).to.equal('enrolled')
  })

  it('fails with agent.unreachable when the collector is down, keeping the token; exit 0 unless strict', async () => {
    const token = await insertEnrollToken(collector.store, 1)
    const down = `https://127.0.0.1:${await closedPort()}`
    const pc = host(confText(token, fingerprint, down))
    const result = await pc.run()
    expect(result.enrollment).to.equal('failed')
    expect(result.error).to.be.instanceOf(UserError)
    expect(result.error?.key).to.equal('agent.unreachable')
    expect(result.error?.params.code).to.equal('ECONNREFUSED')
    expect(result.token_removed).to.equal(false)
    expect(readFileSync(pc.conf, 'utf8')).to.equal(confText(token, fingerprint, down))
    expect(JSON.stringify(result.error?.params)).to.not.include(token)
    expect(provisionExit(result, false)).to.equal(EXIT.ok)
    expect(provisionExit(result, true)).to.equal(EXIT.unreachable)
    expect(await loadEnrollment(pc.paths)).to.equal(null)
  })

  it('fails with agent.tokenRefused for a token the collector does not know, keeping it in agent.conf', async () => {
    const bogus = 'nmg_enroll_NotAKnownToken0000000000'
    const pc = host(confText(bogus))
    const result = await pc.run()
    expect(result.enrollment).to.equal('failed')
    expect(result.error?.key).to.equal('agent.tokenRefused')
    expect(result.token_removed).to.equal(false)
    expect(readFileSync(pc.conf, 'utf8')).to.include(`ENROLL_TOKEN=${bogus}`)
    expect(provisionExit(result, false)).to.equal(EXIT.ok)
    expect(provisionExit(result, true)).to.equal(EXIT.error)
  })

  it('refuses a collector whose CA does not match CA_FINGERPRINT without sending the token', async () => {
    const token = await insertEnrollToken(collector.store, 1)
    const wrong = 'ab'.repeat(32)
    const pc = host(confText(token, wrong))
    const agentsBefore = (await collector.store.listAgents()).length
    const result = await pc.run()
    expect(result.enrollment).to.equal('failed')
    expect(result.error?.key).to.match(/^agent\.pin\.(chain|signature|host)$/)
    expect(result.token_removed).to.equal(false)
    expect(readFileSync(pc.conf, 'utf8')).to.include(`ENROLL_TOKEN=${token}`)
    expect(await collector.store.listAgents()).to.have.length(agentsBefore)
    // The one-use token was never spent: the right fingerprint enrolls with it.
    const fixed = await pc.run({settings: {CA_FINGERPRINT: fingerprint}})
    expect(fixed.enrollment).to.equal('enrolled')
    expect(readFileSync(pc.conf, 'utf8')).to.not.include(token)
  })

  it('on Windows, restricts the state folder with icacls before agent.conf is written', async () => {
    const pc = host()
    const recorded = fakeExec({icacls: ''})
    const confExisted: boolean[] = []
    const exec = async (file: string, args: string[], options?: ExecOptions) => {
      confExisted.push(existsSync(pc.conf))
      return recorded(file, args, options)
    }
    const result = await pc.run({exec, platform: 'win32', settings: {COLLECTOR_URL: 'https://c.example', ENROLL_TOKEN: 'nmg_enroll_WinToken'}})
    expect(result.enrollment).to.equal('not-configured')
    expect(result.lock_down_failures).to.deep.equal([])
    const stateDir = dirname(pc.paths.dir)
    expect(recorded.calls.map((call) => [call[0]?.split(/[\\/]/).pop()?.toLowerCase(), call[1], call[2]])).to.deep.equal([
      ['icacls.exe', stateDir, '/setowner'],
      ['icacls.exe', stateDir, '/reset'],
      ['icacls.exe', stateDir, '/inheritance:r'],
      ['icacls.exe', win32.join(stateDir, 'agent'), '/inheritance:r'],
    ])
    expect(confExisted).to.deep.equal([false, false, false, false])
    expect(existsSync(pc.conf)).to.equal(true)
  })

  it('on Windows, refuses a state folder that is a link (a junction planted by a user), writing nothing', async () => {
    const pc = host()
    const stateDir = dirname(pc.paths.dir)
    const elsewhere = mkdtempSync(join(tmpdir(), 'nmg-planted-'))
    rmSync(stateDir, {force: true, recursive: true})
    symlinkSync(elsewhere, stateDir)
    const exec = fakeExec({icacls: ''})
    const error = await refusal(pc.run({exec, platform: 'win32', settings: {COLLECTOR_URL: 'https://c.example', ENROLL_TOKEN: 'nmg_enroll_Planted'}}))
    expect(error.key).to.equal('provision.stateDirLink')
    expect(exec.calls).to.deep.equal([])
    expect(readdirSync(elsewhere)).to.deep.equal([])
  })

  it('on Windows, reports failed icacls steps and provisions anyway', async () => {
    const pc = host()
    const exec = fakeExec({icacls: {code: 5, stderr: 'Access is denied.'}})
    const result = await pc.run({exec, platform: 'win32', settings: {COLLECTOR_URL: 'https://c.example'}})
    expect(result.lock_down_failures).to.have.length(4)
    expect(result.lock_down_failures?.[0]).to.match(/\/setowner: exit 5$/)
    expect(result.enrollment).to.equal('not-configured')
    expect(parseAgentConf(readFileSync(pc.conf, 'utf8'), pc.conf)).to.deep.equal({COLLECTOR_URL: 'https://c.example'})
  })
})
