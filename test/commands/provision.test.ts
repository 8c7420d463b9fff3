// `nm-guard provision`, in process (the command class, its output captured) against a real
// collector on loopback; agent.conf, the state dir and the schedule all in temp folders.
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {captureOutput} from '@oclif/test'
import {expect} from 'chai'

import {caFingerprint} from '../../src/collector/protocol.js'
import Provision from '../../src/commands/provision.js'
import {type CollectorInstance, startTestCollector} from '../helpers/collector-instance.js'
import {closedPort} from '../helpers/collector-process.js'
import {insertEnrollToken} from '../helpers/enrolled-agent.js'
import {compliantFacts} from '../helpers/facts-builder.js'
import {isRoot, requirePart} from '../helpers/require-part.js'
import {ROOT, runCli, tempFile} from '../helpers/run-cli.js'
import {storedReports} from '../helpers/stored-reports.js'
import {SAMPLE_POLICY_ARGS} from '../helpers/sample-policy.js'

interface Run {
  code: number
  stdout: string
  stderr: string
}

/** Runs the command in this process with `env` set for the run only; the exit code it leaves is returned, not kept. */
async function provisionCmd(args: string[], env: Record<string, string>): Promise<Run> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]))
  const savedExit = process.exitCode
  Object.assign(process.env, env)
  process.exitCode = undefined
  try {
    const captured = await captureOutput(() => Provision.run(args, ROOT))
    if (captured.error) throw captured.error
    return {code: Number(process.exitCode ?? 0), stderr: captured.stderr, stdout: captured.stdout}
  } finally {
    process.exitCode = savedExit
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

interface Pc {
  conf: string
  state: string
  env: Record<string, string>
}

function pc(text?: string): Pc {
  const root = mkdtempSync(join(tmpdir(), 'nmg-provision-cmd-'))
  const conf = join(root, 'etc', 'agent.conf')
  const state = join(root, 'state')
  if (text !== undefined) {
    mkdirSync(join(root, 'etc'))
    writeFileSync(conf, text, {mode: 0o600})
  }
  return {conf, env: {NMG_AGENT_CONF: conf, NMG_COLLECTOR_TIMEOUT_MS: '5000', NMG_STATE_DIR: state}, state}
}

describe('nm-guard provision', function () {
  this.timeout(60_000)
  let collector: CollectorInstance
  let url: string
  let fingerprint: string
  /** Every token used below and every output seen: no output may ever contain a token. */
  const tokens: string[] = []
  const outputs: string[] = []
  const newToken = async () => {
    const token = await insertEnrollToken(collector.store, 1)
    tokens.push(token)
    return token
  }
  const run = async (args: string[], env: Record<string, string>) => {
    const r = await provisionCmd(args, env)
    outputs.push(r.stdout, r.stderr)
    return r
  }

  before(async () => {
    collector = await startTestCollector('nmg-provision-cmd-collector-')
    url = `https://127.0.0.1:${collector.running.port}`
    fingerprint = caFingerprint(collector.ca.certPem)
  })
  after(async () => {
    await collector?.close()
  })

  it('prints the not-configured outcome as a JSON envelope', async () => {
    const host = pc()
    const r = await run(['--json'], host.env)
    expect(r.code).to.equal(0)
    expect(JSON.parse(r.stdout)).to.deep.equal({
      result: {conf: host.conf, enrollment: 'not-configured', missing: ['COLLECTOR_URL', 'ENROLL_TOKEN', 'CA_FINGERPRINT'], token_removed: false},
      status: 0,
      warnings: [],
    })
    expect(existsSync(host.conf)).to.equal(false)
    // As the MSI runs it when installed without properties: every flag present and empty.
    const empty = await run(['--collector-url', '', '--enroll-token', '', '--ca-fingerprint', '', '--json'], host.env)
    expect(empty.code).to.equal(0)
    expect(JSON.parse(empty.stdout).result).to.include({enrollment: 'not-configured'})
    expect(existsSync(host.conf)).to.equal(false)
  })

  it('enrolls from flags, removes the token, and says so in JSON and in text', async () => {
    const token = await newToken()
    const host = pc()
    const r = await run(['--collector-url', url, '--enroll-token', token, '--ca-fingerprint', fingerprint, '--json'], host.env)
    expect(r.code, r.stderr).to.equal(0)
    const envelope = JSON.parse(r.stdout)
    expect(envelope.status).to.equal(0)
    expect(envelope.warnings).to.deep.equal([])
    expect(envelope.result).to.include({conf: host.conf, enrollment: 'enrolled', token_removed: true, url})
    expect(envelope.result).to.not.have.property('error')
    expect((await collector.store.listAgents()).map((a) => a.agent_id)).to.include(envelope.result.agent_id)
    const conf = readFileSync(host.conf, 'utf8')
    expect(conf).to.not.include(token)
    expect(conf).to.match(/^# ENROLL_TOKEN removed after enrollment \(/m)
    expect(conf).to.include(`COLLECTOR_URL=${url}`).and.include(`CA_FINGERPRINT=${fingerprint}`)

    const again = await run([], host.env)
    expect(again.code).to.equal(0)
    expect(again.stdout.trim()).to.equal(`This PC is already enrolled (agent ${envelope.result.agent_id}, ${url})`)
  })

  it('enrolls from agent.conf alone, in Chinese with --lang zh-CN', async () => {
    const token = await newToken()
    const host = pc(`COLLECTOR_URL=${url}\nENROLL_TOKEN=${token}\nCA_FINGERPRINT=${fingerprint}\n`)
    const r = await run(['--lang', 'zh-CN'], host.env)
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout).to.include('已注册为代理').and.include(`已从 ${host.conf} 中删除用过的注册令牌`)
    expect(readFileSync(host.conf, 'utf8')).to.not.include(token)
  })

  it('says what is missing in Chinese', async () => {
    const host = pc()
    const r = await run(['--lang', 'zh-CN'], host.env)
    expect(r.stdout.trim()).to.equal(`尚未配置收集服务器：请在 ${host.conf} 中填写 COLLECTOR_URL, ENROLL_TOKEN, CA_FINGERPRINT；之后每次定时检查都会尝试注册`)
  })

  it('reports a failed enrollment with exit 0, the error translated, the token kept in agent.conf', async () => {
    const token = await newToken()
    const down = `https://127.0.0.1:${await closedPort()}`
    const host = pc()
    const r = await run(['--collector-url', down, '--enroll-token', token, '--ca-fingerprint', fingerprint, '--json'], host.env)
    expect(r.code).to.equal(0)
    const envelope = JSON.parse(r.stdout)
    expect(envelope.status).to.equal(0)
    expect(envelope.result).to.include({enrollment: 'failed', error: `Collector ${down} unreachable (ECONNREFUSED)`, token_removed: false})
    expect(readFileSync(host.conf, 'utf8')).to.include(`ENROLL_TOKEN=${token}`)

    const zh = await run(['--lang', 'zh-CN'], host.env)
    expect(zh.code).to.equal(0)
    expect(zh.stderr).to.include('注册未成功').and.include(`收集服务器 ${down} 不可达`)
  })

  it('exits with the enrollment code under --strict (a refused token: 1)', async () => {
    const bogus = 'nmg_enroll_ThisTokenWasNeverIssued00000'
    tokens.push(bogus)
    const host = pc(`COLLECTOR_URL=${url}\nENROLL_TOKEN=${bogus}\nCA_FINGERPRINT=${fingerprint}\n`)
    const r = await run(['--strict'], host.env)
    expect(r.code).to.equal(1)
    expect(r.stderr.trim()).to.equal('Enrollment did not succeed: The collector refused the enrollment token (unknown, used or expired). nm-guard is installed; the next scheduled audit tries again')
    const json = await run(['--strict', '--json'], host.env)
    expect(json.code).to.equal(1)
    expect(JSON.parse(json.stdout)).to.include({status: 1})
  })

  it('refuses a bad agent.conf line with exit 2, naming the line but not the value', async () => {
    const token = await newToken()
    const host = pc(`COLLECTOR_URL=${url}\nENROLL_TOKN=${token}\n`)
    const r = await run([], host.env)
    expect(r.code).to.equal(2)
    expect(r.stderr.trim()).to.equal(`nm-guard: ${host.conf}, line 2: not a setting nm-guard knows (expected KEY=VALUE with one of COLLECTOR_URL, ENROLL_TOKEN, CA_FINGERPRINT)`)
    const json = await run(['--json'], host.env)
    expect(json.code).to.equal(2)
    expect(JSON.parse(json.stdout)).to.deep.include({error: {key: 'provision.badConfLine', message: `${host.conf}, line 2: not a setting nm-guard knows (expected KEY=VALUE with one of COLLECTOR_URL, ENROLL_TOKEN, CA_FINGERPRINT)`, name: 'UserError'}, result: null, status: 2})
  })

  it('refuses --remove-data without --uninstall as usage (exit 2), removing nothing', async () => {
    const host = pc(`COLLECTOR_URL=${url}\n`)
    mkdirSync(host.state)
    writeFileSync(join(host.state, 'keep'), 'x')
    const r = await run(['--remove-data'], host.env)
    expect(r.code).to.equal(2)
    expect(r.stderr).to.match(/^nm-guard: /)
    expect(existsSync(join(host.state, 'keep'))).to.equal(true)
    const json = await run(['--remove-data', '--json'], host.env)
    expect(json.code).to.equal(2)
    expect(JSON.parse(json.stdout)).to.include({result: null, status: 2})
  })

  it('installs the schedule with --schedule and removes it and the state folder with --uninstall --remove-data', async function () {
    // NMG_SCHEDULE_ROOT keeps the cron file under a temp root; as a non-root user the schedule would be the user's crontab instead.
    requirePart(this, isRoot(), 'root (the /etc/cron.d path of the schedule under NMG_SCHEDULE_ROOT)')
    if (process.platform !== 'linux') this.skip()
    const host = pc(`COLLECTOR_URL=${url}\n`)
    const scheduleRoot = mkdtempSync(join(tmpdir(), 'nmg-provision-sched-'))
    mkdirSync(join(scheduleRoot, 'etc', 'cron.d'), {recursive: true})
    const cron = join(scheduleRoot, 'etc', 'cron.d', 'nm-guard')
    const env = {...host.env, NMG_SCHEDULE_ROOT: scheduleRoot}

    const installed = await run(['--schedule', '--json'], env)
    expect(installed.code, installed.stderr).to.equal(0)
    expect(JSON.parse(installed.stdout).result).to.include({enrollment: 'not-configured', schedule: cron})
    expect(readFileSync(cron, 'utf8')).to.include("'audit' '--report' '--scheduled'")
    mkdirSync(host.state, {recursive: true})
    writeFileSync(join(host.state, 'marker'), 'x')

    const both = await run(['--schedule', '--uninstall'], env)
    expect(both.code).to.equal(2)
    expect(existsSync(cron)).to.equal(true)

    const kept = await run(['--uninstall', '--json'], env)
    expect(kept.code).to.equal(0)
    expect(JSON.parse(kept.stdout).result).to.deep.equal({data_removed: false, schedule: cron, schedule_removed: true})
    expect(existsSync(cron)).to.equal(false)
    expect(existsSync(join(host.state, 'marker'))).to.equal(true)

    const removed = await run(['--uninstall', '--remove-data'], env)
    expect(removed.code).to.equal(0)
    expect(removed.stdout).to.include(`Deleted nm-guard's state folder ${host.state}`)
    expect(existsSync(host.state)).to.equal(false)
    // agent.conf lives outside the state folder on Linux: kept.
    expect(existsSync(host.conf)).to.equal(true)
  })

  it('ends the real process with the --strict exit code (4 when unreachable)', async () => {
    const token = await newToken()
    const host = pc(`COLLECTOR_URL=https://127.0.0.1:${await closedPort()}\nENROLL_TOKEN=${token}\nCA_FINGERPRINT=${fingerprint}\n`)
    const r = await runCli(['provision', '--strict'], {env: host.env})
    outputs.push(r.stdout, r.stderr)
    expect(r.code).to.equal(4)
    expect(r.stderr).to.match(/^Enrollment did not succeed: Collector https:\/\/127\.0\.0\.1:\d+ unreachable \(ECONNREFUSED\)/)
  })

  it('never printed a token, in any run above', () => {
    expect(tokens.length).to.be.greaterThan(3)
    expect(outputs.length).to.be.greaterThan(10)
    for (const token of tokens) for (const output of outputs) expect(output).to.not.include(token)
  })
})

describe('audit --report --scheduled: the enrollment retry', function () {
  this.timeout(120_000)
  let collector: CollectorInstance

  before(async () => {
    collector = await startTestCollector('nmg-provision-retry-collector-')
  })
  after(async () => {
    await collector?.close()
  })

  it('enrolls from agent.conf, sends the report, and removes the token', async () => {
    const url = `https://127.0.0.1:${collector.running.port}`
    const token = await insertEnrollToken(collector.store, 1)
    const host = pc(`# from the package\nCOLLECTOR_URL=${url}\nENROLL_TOKEN=${token}\nCA_FINGERPRINT=${caFingerprint(collector.ca.certPem)}\n`)
    const facts = tempFile('facts.json', compliantFacts('linux'))
    const r = await runCli(['audit', '--report', '--scheduled', '--facts', facts, '--format', 'json', ...SAMPLE_POLICY_ARGS], {env: host.env})
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout + r.stderr).to.not.include(token)
    const report = JSON.parse(r.stdout)
    const agents = await collector.store.listAgents()
    expect(agents).to.have.length(1)
    expect(report.agent.id).to.equal(agents[0]?.agent_id)
    expect((await storedReports(collector.store)).map((row) => row.report_id)).to.deep.equal([report.report_id])
    const conf = readFileSync(host.conf, 'utf8')
    expect(conf).to.not.include(token)
    expect(conf).to.include('# from the package').and.match(/^# ENROLL_TOKEN removed after enrollment \(/m)
    // Nothing failed: the scheduled run logged no failure.
    expect(existsSync(join(host.state, 'schedule', 'last-failures.log'))).to.equal(false)
  })
})
