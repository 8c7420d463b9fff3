// disconnect → evidence → reconnect through the real CLI, run inside a test-made network namespace
// (the "PC") whose gateway is a peer namespace serving TCP: real nftables, never the host's network.
import {type ChildProcess, execFileSync, spawn} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {appendFile, readdir} from 'node:fs/promises'
import {hostname as osHostname, tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {writeAgentIdentity} from '../helpers/agent-identity.js'
import {createLab, type Lab, requireLab} from '../helpers/netns.js'
import {type CliResult, DEV_BIN, runCli} from '../helpers/run-cli.js'
import {normalisedRuleset, parseEnvelope, USER_FIREWALL} from '../helpers/incident-e2e.js'
import {hasCommand, requirePart} from '../helpers/require-part.js'
import {TestCa} from '../helpers/test-collector.js'
import {openCheckoutToOthers} from '../helpers/traverse-checkout.js'

const HOST = osHostname()
const PORT = 8080


describe('disconnect / reconnect in a network namespace (real nftables)', function () {
  this.timeout(120_000)
  let lab: Lab
  let state: string

  const cli = (args: string[], env: Record<string, string> = {}): Promise<CliResult> =>
    runCli(args, {command: lab.inNs([process.execPath, DEV_BIN]), env: {NMG_EVIDENCE_ITEM_TIMEOUT_MS: '4000', NMG_STATE_DIR: state, ...env}})

  beforeEach(async function () {
    requireLab(this)
    lab = await createLab()
    state = mkdtempSync(join(tmpdir(), 'nmg-incident-'))
    await lab.serveTcp(PORT)
  })

  afterEach(async () => {
    await lab?.destroy()
  })

  it('cuts new and established connections, keeps verifiable evidence, and reconnect restores the ruleset exactly', async () => {
    // A desktop's own firewall, with connection tracking and counters that move during the test.
    execFileSync(lab.inNs(['nft', '-f', '-'])[0] as string, lab.inNs(['nft', '-f', '-']).slice(1), {input: USER_FIREWALL})
    const held = await lab.openConnection(PORT)
    expect(await held.echoes()).to.equal(true)
    expect(await lab.canConnect(PORT)).to.equal(true)
    const before = lab.nftRuleset()

    const cut = await cli(['disconnect', '--confirm', HOST, '--reason', '公众号后台异常登录 <script>', '--json'])
    expect(cut.code, cut.stderr).to.equal(0)
    const result = parseEnvelope<{method: string; isolated_at: string; isolation_ms: number; evidence_dir: string; report_path: string; verification: {gateway: string}; notice: string}>(cut).result
    expect(result.method).to.equal('nftables')
    expect(Date.parse(result.isolated_at)).to.be.greaterThan(0)
    expect(result.isolation_ms).to.be.greaterThan(0)
    expect(result.verification.gateway).to.equal('blocked')
    expect(result.notice).to.equal('not-enrolled')

    expect(await lab.canConnect(PORT, 800)).to.equal(false)
    expect(await held.echoes(800)).to.equal(false)
    expect(lab.nftRuleset()).to.contain('table inet nm_guard')

    // The evidence verifies as collected, and the draft is Chinese with the reporting duty.
    const verified = await cli(['incident', 'verify', result.evidence_dir, '--json'])
    expect(verified.code, verified.stdout).to.equal(0)
    const draft = readFileSync(result.report_path, 'utf8')
    expect(draft).to.contain(HOST).and.to.contain('网信').and.to.contain('公安')
    expect(draft).to.contain('公众号后台异常登录 &lt;script&gt;').and.not.to.contain('异常登录 <script>')

    const status = parseEnvelope<{open: boolean; isolated: boolean; since: string; evidence_dir: string}>(await cli(['incident', 'status', '--json'])).result
    expect(status).to.include({evidence_dir: result.evidence_dir, isolated: true, open: true, since: result.isolated_at})

    // A second disconnect refuses instead of journalling the isolated state as "before".
    const again = await cli(['disconnect', '--confirm', HOST, '--json'])
    expect(again.code).to.equal(1)
    expect(parseEnvelope(again).error?.key).to.equal('incident.alreadyOpen')

    const back = await cli(['reconnect', '--confirm', HOST, '--json'])
    expect(back.code, back.stdout + back.stderr).to.equal(0)
    expect(parseEnvelope<{ruleset_equal: boolean}>(back).result.ruleset_equal).to.equal(true)
    expect(normalisedRuleset(lab.nftRuleset())).to.equal(normalisedRuleset(before))
    expect(await lab.canConnect(PORT)).to.equal(true)
    held.close()

    // Idempotent from the operator's side: nothing left to restore is a clear refusal, not damage.
    const twice = await cli(['reconnect', '--confirm', HOST, '--json'])
    expect(twice.code).to.equal(1)
    expect(parseEnvelope(twice).error?.key).to.equal('incident.nothingToRestoreSince')
    expect(normalisedRuleset(lab.nftRuleset())).to.equal(normalisedRuleset(before))
    const after = parseEnvelope<{open: boolean; isolated: boolean; last: {incident_id: string}}>(await cli(['incident', 'status', '--json'])).result
    expect(after.open).to.equal(false)
    expect(after.isolated).to.equal(false)
    expect(after.last.incident_id).to.be.a('string')

    // Tampering after the fact is caught: a changed file, then an added one.
    const files = (await readdir(result.evidence_dir, {recursive: true})).filter((f) => f.endsWith('.txt'))
    await appendFile(join(result.evidence_dir, files[0] as string), 'x')
    const tampered = await cli(['incident', 'verify', result.evidence_dir, '--json'])
    expect(tampered.code).to.equal(3)
    expect(parseEnvelope<{changed: string[]}>(tampered).result.changed).to.deep.equal([files[0]])
  })

  it('with --keep-collector keeps exactly the collector address and port reachable', async () => {
    const collectorPort = 8443
    // Kept means a verified TLS handshake, the way uploads go (#11 2.3): a CA-issued stand-in.
    const ca = new TestCa()
    await lab.serveTls(collectorPort, ca.server({ip: [lab.peerAddr]}))
    writeAgentIdentity(state, `https://${lab.peerAddr}:${collectorPort}`, ca)
    const cut = await cli(['disconnect', '--confirm', HOST, '--keep-collector', '--json'])
    expect(cut.code, cut.stdout + cut.stderr).to.equal(0)
    const result = parseEnvelope<{keep_collector: {addresses: string[]; port: number}; verification: {collector: string}}>(cut).result
    expect(result.keep_collector).to.include({port: collectorPort})
    expect(result.keep_collector.addresses).to.deep.equal([lab.peerAddr])
    expect(result.verification.collector).to.equal('reachable')
    expect(await lab.canConnect(collectorPort)).to.equal(true)
    expect(await lab.canConnect(PORT, 800)).to.equal(false)
    const back = await cli(['reconnect', '--confirm', HOST, '--json'])
    // The stand-in only shakes hands: the notices stay queued (exit 4), the network is back.
    expect(back.code, back.stdout).to.equal(4)
    expect(await lab.canConnect(PORT)).to.equal(true)
  })

  it('falls back to full isolation when the kept collector does not answer', async () => {
    enrollFake(state, `https://${lab.peerAddr}:8443`)
    const cut = await cli(['disconnect', '--confirm', HOST, '--keep-collector', '--json'], {NMG_PROBE_TIMEOUT_MS: '300'})
    expect(cut.code, cut.stdout).to.equal(0)
    const envelope = parseEnvelope<{keep_collector: null; verification: {collector: string}}>(cut)
    expect(envelope.result.keep_collector).to.equal(null)
    expect(envelope.result.verification.collector).to.equal('blocked')
    expect(envelope.warnings.join('\n')).to.match(/fell back to full isolation/)
    await lab.serveTcp(8443)
    expect(await lab.canConnect(8443, 800)).to.equal(false)
    expect((await cli(['reconnect', '--confirm', HOST, '--json'])).code).to.be.oneOf([0, 4])
  })

  for (const phase of ['journalled', 'isolated']) {
    it(`reconnect restores the original state after disconnect is SIGKILLed right after it ${phase === 'journalled' ? 'wrote the journal' : 'cut the network'}`, async () => {
      const before = lab.nftRuleset()
      const child = spawn(lab.inNs([process.execPath, DEV_BIN])[0] as string, [...lab.inNs([process.execPath, DEV_BIN]).slice(1), 'disconnect', '--confirm', HOST, '--json'], {
        env: {...process.env, NMG_HOLD_AFTER: phase, NMG_STATE_DIR: state},
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      await holding(child, phase)
      child.kill('SIGKILL')
      await new Promise((resolve) => child.once('exit', resolve))
      expect(existsSync(join(state, 'incident', 'journal.json'))).to.equal(true)
      expect(await lab.canConnect(PORT, 800)).to.equal(phase === 'journalled')

      const back = await cli(['reconnect', '--confirm', HOST, '--json'])
      expect(back.code, back.stdout + back.stderr).to.equal(0)
      expect(lab.nftRuleset()).to.equal(before)
      expect(await lab.canConnect(PORT)).to.equal(true)
    })
  }

  it('refuses a wrong hostname, a missing --confirm under --json and a non-empty evidence folder, changing nothing', async () => {
    const before = lab.nftRuleset()
    const wrong = await cli(['disconnect', '--confirm', `not-${HOST}`, '--json'])
    expect(wrong.code).to.equal(2)
    expect(parseEnvelope(wrong).error?.key).to.equal('incident.hostMismatch')
    const missing = await cli(['disconnect', '--json'])
    expect(missing.code).to.equal(2)
    expect(parseEnvelope(missing).error?.key).to.equal('incident.confirmRequired')
    const full = mkdtempSync(join(tmpdir(), 'nmg-evidence-'))
    writeFileSync(join(full, 'old.txt'), 'earlier case')
    const notEmpty = await cli(['disconnect', '--confirm', HOST, '--evidence-dir', full, '--json'])
    expect(notEmpty.code).to.equal(2)
    expect(readFileSync(join(full, 'old.txt'), 'utf8')).to.equal('earlier case')
    expect(lab.nftRuleset()).to.equal(before)
    expect(existsSync(join(state, 'incident', 'journal.json'))).to.equal(false)
    const nothing = await cli(['reconnect', '--confirm', HOST, '--json'])
    expect(nothing.code).to.equal(1)
    expect(parseEnvelope(nothing).error?.key).to.equal('incident.nothingToRestore')
  })

  it('--dry-run prints the exact nftables plan and changes nothing', async () => {
    const before = lab.nftRuleset()
    const dry = await cli(['disconnect', '--dry-run', '--lang', 'en'])
    expect(dry.code, dry.stderr).to.equal(0)
    expect(dry.stdout).to.contain('nft -f -').and.to.contain('table inet nm_guard').and.to.contain('policy drop')
    expect(lab.nftRuleset()).to.equal(before)
  })

  it('--dry-run --confirm refuses a wrong name exactly as the real run does, and plans with the right one', async () => {
    const before = lab.nftRuleset()
    const real = await cli(['disconnect', '--confirm', 'wrong-host', '--lang', 'en'])
    const dry = await cli(['disconnect', '--dry-run', '--confirm', 'wrong-host', '--lang', 'en'])
    expect(real.code).to.equal(2)
    expect(dry).to.deep.equal(real)
    expect(dry.stderr).to.contain('wrong-host').and.to.contain(HOST)
    const [realJson, dryJson] = await Promise.all([cli(['disconnect', '--confirm', 'wrong-host', '--json']), cli(['disconnect', '--dry-run', '--confirm', 'wrong-host', '--json'])])
    expect(parseEnvelope(dryJson).error?.key).to.equal('incident.hostMismatch')
    expect([dryJson.code, parseEnvelope(dryJson).error]).to.deep.equal([realJson.code, parseEnvelope(realJson).error])
    const right = await cli(['disconnect', '--dry-run', '--confirm', HOST, '--lang', 'en'])
    expect(right.code, right.stderr).to.equal(0)
    expect(right.stdout).to.contain('table inet nm_guard').and.to.contain('policy drop')
    expect(lab.nftRuleset()).to.equal(before)
  })

  it('needs root: an unprivileged user gets exit 1 and a clear line', async function () {
    requirePart(this, hasCommand('setpriv'), 'setpriv (package util-linux)')
    const restore = openCheckoutToOthers()
    const r = await runCli(['disconnect', '--confirm', HOST], {
      command: lab.inNs(['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, DEV_BIN]),
      env: {NMG_STATE_DIR: state},
    }).finally(restore)
    expect(r.code, r.stderr).to.equal(1)
    expect(r.stderr).to.match(/needs root/)
  })
})

/** An enrollment record pointing at the test's peer; no key or certificate (never sent anything). */
function enrollFake(state: string, url: string): void {
  const dir = join(state, 'agent')
  mkdirSync(dir, {recursive: true})
  writeFileSync(join(dir, 'enrollment.json'), JSON.stringify({agent_id: '0b6c3f0e-2a53-4c56-9d43-0d4b3c8f1a27', ca_fingerprint: 'ab'.repeat(32), enrolled_at: new Date().toISOString(), url}))
}

function holding(child: ChildProcess, phase: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let err = ''
    const timer = setTimeout(() => reject(new Error(`disconnect never reached ${phase}: ${err}`)), 30_000)
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString()
      if (err.includes(`holding after ${phase}`)) {
        clearTimeout(timer)
        resolve()
      }
    })
    child.once('exit', (code) => reject(new Error(`disconnect exited ${code} before ${phase}: ${err}`)))
  })
}
