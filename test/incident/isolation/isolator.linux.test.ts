// Real isolation inside throwaway network namespaces (test/helpers/netns.ts): nftables, then the
// iptables and link-down fallbacks forced by an exec seam that reports the earlier tools missing.
import {execFileSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {missingTool} from '../../../src/os/fact-error.js'
import type {Exec} from '../../../src/facts/types.js'
import {IsolationFailed, linuxIsolator, linuxPlan} from '../../../src/incident/isolation/isolator.linux.js'
import {normalizeIptablesSave} from '../../../src/incident/isolation/iptables-rules.js'
import {nftIsolationScript} from '../../../src/incident/isolation/nftables-script.js'
import {renderCommand} from '../../../src/incident/isolation/render-plan.js'
import type {CollectorEndpoint, Journal, SavedNetworkState} from '../../../src/incident/types.js'
import {fakeExec} from '../../helpers/fake-exec.js'
import {createLab, type Lab, requireLab} from '../../helpers/netns.js'

/** An exec seam in which `tools` are "not installed". */
const without = (exec: Exec, tools: string[]): Exec => (file, args, options) => (tools.includes(file) ? Promise.reject(missingTool(file)) : exec(file, args, options))

const journalOf = (saved: SavedNetworkState, method: Journal['method']): Journal => ({
  evidence_dir: '/nonexistent',
  hostname: 'pc',
  incident_id: 'test',
  isolated_at: null,
  isolation_ms: null,
  keep_collector: null,
  method,
  phase: method ? 'isolated' : 'journalled',
  platform: 'linux',
  reason: null,
  report_path: null,
  saved,
  schema: 'nm-guard/incident-journal@1',
  started_at: '2026-11-27T08:00:00.000Z',
  timeline: [],
})

// A user's own firewall in the PC namespace, so "only our table was added" and "restored exactly"
// mean something. Its conntrack rule makes the kernel track the held connection from its start, as
// on a real desktop: our cut must stop it although conntrack knows it as established.
const USER_RULESET = `table inet user_fw {
  set admins {
    type ipv4_addr
    elements = { 10.213.250.7 }
  }
  chain input {
    type filter hook input priority 0; policy accept;
    ct state established,related accept
    tcp dport 22 ip saddr @admins counter accept
  }
}
`

describe('Linux isolation in network namespaces (real nftables, iptables, links)', function () {
  this.timeout(60_000)
  let lab: Lab
  let journalDir: string

  before(function () {
    requireLab(this, ['iptables', 'iptables-save', 'iptables-restore'])
  })

  beforeEach(async () => {
    lab = await createLab()
    journalDir = mkdtempSync(join(tmpdir(), 'nmg-isolation-'))
    await lab.serveTcp(8080)
  })

  afterEach(async () => {
    await lab?.destroy()
    rmSync(journalDir, {force: true, recursive: true})
  })

  const tables = (ruleset: string): string[] => [...ruleset.matchAll(/^table (\S+ \S+)/gm)].map((m) => m[1] as string)

  it('nftables: cuts new and established connections, adds only its table, restores the ruleset exactly (twice)', async () => {
    execFileSync('ip', ['netns', 'exec', lab.ns, 'nft', '-f', '-'], {input: USER_RULESET})
    const original = lab.nftRuleset()
    const held = await lab.openConnection(8080)
    expect(await held.echoes()).to.equal(true)
    expect(await lab.canConnect(8080)).to.equal(true)

    const isolator = linuxIsolator({exec: lab.exec, journalDir})
    const saved = await isolator.snapshot()
    expect(saved.nft_ruleset).to.equal(original)
    expect(saved.links).to.deep.equal([{name: lab.pcLink, up: true}])
    const started = performance.now()
    const result = await isolator.isolate(saved, null)
    const ms = performance.now() - started
    // eslint-disable-next-line no-console
    console.log(`      nft isolate took ${ms.toFixed(0)} ms`)
    expect(result).to.deep.equal({method: 'nftables', warnings: []})

    expect(await lab.canConnect(8080, 1500)).to.equal(false)
    expect(await held.echoes(1500)).to.equal(false)
    const during = lab.nftRuleset()
    expect(tables(during)).to.deep.equal(['inet user_fw', 'inet nm_guard', 'bridge nm_guard'])
    expect(during.startsWith(original.trimEnd())).to.equal(true)
    expect(await isolator.isIsolated()).to.equal(true)

    await isolator.restore(journalOf(saved, 'nftables'))
    expect(lab.nftRuleset()).to.equal(original)
    expect(await isolator.ruleset()).to.equal(original)
    expect(await lab.canConnect(8080)).to.equal(true)
    expect(await isolator.isIsolated()).to.equal(false)

    await isolator.restore(journalOf(saved, 'nftables'))
    expect(lab.nftRuleset()).to.equal(original)
    expect(await lab.canConnect(8080)).to.equal(true)
  })

  it('nftables: isolating twice replaces the table instead of failing or stacking it', async () => {
    const isolator = linuxIsolator({exec: lab.exec, journalDir})
    const saved = await isolator.snapshot()
    await isolator.isolate(saved, null)
    await isolator.isolate(saved, null)
    expect(tables(lab.nftRuleset())).to.deep.equal(['inet nm_guard', 'bridge nm_guard'])
    await isolator.restore(journalOf(saved, 'nftables'))
    expect(lab.nftRuleset()).to.equal('')
  })

  it('nftables --keep-collector: only the kept address and port stay reachable', async () => {
    await lab.serveTcp(8081)
    const keep: CollectorEndpoint = {addresses: [lab.peerAddr], host: 'collector.test', port: 8081, url: 'https://collector.test:8081'}
    const isolator = linuxIsolator({exec: lab.exec, journalDir})
    const saved = await isolator.snapshot()
    expect(await isolator.isolate(saved, keep)).to.deep.equal({method: 'nftables', warnings: []})
    expect(await lab.canConnect(8081)).to.equal(true)
    expect(await lab.canConnect(8080, 1000)).to.equal(false)
    const kept = await lab.openConnection(8081)
    expect(await kept.echoes()).to.equal(true)
    await isolator.restore(journalOf(saved, 'nftables'))
    expect(await lab.canConnect(8080)).to.equal(true)
  })

  // Issue #11, 2.2: with stateless rules (`ip saddr C tcp sport P accept`), anyone sending from the
  // collector's address and port reached every port of the isolated PC. Only connections the PC
  // opens to C:P, and their replies, may pass.
  const posingAsCollector = async (method: 'iptables' | 'nftables'): Promise<void> => {
    const port = 8081
    const keep: CollectorEndpoint = {addresses: [lab.peerAddr], host: 'collector.test', port, url: `https://collector.test:${port}`}
    await lab.servePc(4444) // a shell listening on a high port of the compromised PC
    await lab.servePc(4445)
    // Before the cut the PC's listeners answer, also to a client bound to the collector's address
    // and port (so a 'timeout' below is the firewall, not a port that cannot be bound).
    expect(await lab.peerConnect(4444)).to.equal('connected')
    expect(await lab.peerConnect(4445, {fromPort: port})).to.equal('connected')

    const isolator = linuxIsolator({exec: method === 'nftables' ? lab.exec : without(lab.exec, ['nft']), journalDir})
    const saved = await isolator.snapshot()
    expect((await isolator.isolate(saved, keep)).method).to.equal(method)

    expect(await lab.peerConnect(4444, {fromPort: port, timeoutMs: 1500})).to.equal('timeout')
    expect(await lab.peerConnect(4444, {timeoutMs: 1000})).to.equal('timeout')
    // The collector's port on the PC is no way in either.
    await lab.servePc(port)
    expect(await lab.peerConnect(port, {fromPort: port, timeoutMs: 1000})).to.equal('timeout')

    // The PC's own connections to the collector still work, both ways (the server binds the port
    // only now: the posing client above had it).
    await lab.serveTcp(port)
    expect(await lab.canConnect(port)).to.equal(true)
    const kept = await lab.openConnection(port)
    expect(await kept.echoes()).to.equal(true)
    expect(await lab.canConnect(8080, 1000)).to.equal(false)

    await isolator.restore(journalOf(saved, method))
    expect(await lab.peerConnect(4444)).to.equal('connected')
  }

  it('nftables --keep-collector: a connection opened from the collector address and port is dropped, the PC\'s own to it is not', async () => {
    await posingAsCollector('nftables')
    expect(lab.nftRuleset()).to.equal('')
  })

  it('iptables --keep-collector: a connection opened from the collector address and port is dropped, the PC\'s own to it is not', async () => {
    await posingAsCollector('iptables')
  })

  // Issue #11, 2.4: a VM bridged through the PC sent its frames past the inet table (br_netfilter
  // off), and nothing said so. The VM must lose the peer with the PC, and get it back on reconnect.
  it('nftables: a VM bridged through the PC (br_netfilter off) is cut with it, verification says so, and restore brings it back', async () => {
    const vm = lab.bridgeVm()
    expect(await vm.canConnect(8080)).to.equal(true)
    const original = lab.nftRuleset()
    const isolator = linuxIsolator({exec: lab.exec, journalDir})
    const saved = await isolator.snapshot()
    expect(saved.bridge_ports?.map((p) => p.name).sort()).to.deep.equal([lab.pcLink, 'veth-vm'])
    expect(await isolator.verifyBridges?.()).to.deep.equal({bridges: ['br0'], state: 'reachable'})

    expect((await isolator.isolate(saved, null)).method).to.equal('nftables')
    expect(await vm.canConnect(8080, 1500)).to.equal(false)
    expect(await lab.canConnect(8080, 1000)).to.equal(false)
    expect(await isolator.verifyBridges?.()).to.deep.equal({bridges: ['br0'], state: 'blocked'})

    await isolator.restore(journalOf(saved, 'nftables'))
    expect(lab.nftRuleset()).to.equal(original)
    expect(await vm.canConnect(8080)).to.equal(true)
    expect(await lab.canConnect(8080)).to.equal(true)
  })

  it('nftables --keep-collector with the PC on a bridge: the PC keeps the collector, the bridged VM does not', async () => {
    const vm = lab.bridgeVm()
    await lab.serveTcp(8081)
    const keep: CollectorEndpoint = {addresses: [lab.peerAddr], host: 'collector.test', port: 8081, url: 'https://collector.test:8081'}
    const isolator = linuxIsolator({exec: lab.exec, journalDir})
    const saved = await isolator.snapshot()
    await isolator.isolate(saved, keep)
    expect(await lab.canConnect(8081)).to.equal(true)
    expect(await vm.canConnect(8081, 1500)).to.equal(false)
    await isolator.restore(journalOf(saved, 'nftables'))
    expect(await vm.canConnect(8081)).to.equal(true)
  })

  it('verification sees a bridge still forwarding when nothing drops its frames (the bridge table removed behind the cut)', async () => {
    const vm = lab.bridgeVm()
    const isolator = linuxIsolator({exec: lab.exec, journalDir})
    const saved = await isolator.snapshot()
    await isolator.isolate(saved, null)
    execFileSync('ip', ['netns', 'exec', lab.ns, 'nft', 'delete', 'table', 'bridge', 'nm_guard'])
    // What verification claims is what the VM finds: its frames pass again.
    expect(await isolator.verifyBridges?.()).to.deep.equal({bridges: ['br0'], state: 'reachable'})
    expect(await vm.canConnect(8080)).to.equal(true)
    await isolator.restore(journalOf(saved, 'nftables'))
  })

  it('iptables fallback: the bridge ports go down (journalled), the VM is cut, and restore raises them again', async () => {
    const vm = lab.bridgeVm()
    const isolator = linuxIsolator({exec: without(lab.exec, ['nft']), journalDir})
    const saved = await isolator.snapshot()
    const result = await isolator.isolate(saved, null)
    expect(result.method).to.equal('iptables')
    expect(result.warnings.at(-1)).to.equal(
      `iptables cannot see bridged traffic: the bridge ports ${lab.pcLink} (br0), veth-vm (br0) were taken down, so virtual machines and containers on them are cut off too (reconnect brings them back up).`,
    )
    expect(await vm.canConnect(8080, 1500)).to.equal(false)
    expect(await isolator.verifyBridges?.()).to.deep.equal({bridges: ['br0'], state: 'blocked'})
    expect(await isolator.isIsolated()).to.equal(true)

    await isolator.restore(journalOf(saved, 'iptables'))
    const up = JSON.parse(execFileSync('ip', ['-n', lab.ns, '-j', 'link', 'show', 'master', 'br0'], {encoding: 'utf8'})) as {ifname: string; flags: string[]}[]
    expect(up.map((l) => [l.ifname, l.flags.includes('UP')]).sort()).to.deep.equal([[lab.pcLink, true], ['veth-vm', true]])
    // A port raised again needs a moment before the bridge forwards through it (carrier, then
    // forwarding state): on a loaded machine, longer than one try.
    let through = false
    for (let attempt = 0; attempt < 10 && !through; attempt++) through = await vm.canConnect(8080, 1000)
    expect(through).to.equal(true)
    expect(await lab.canConnect(8080)).to.equal(true)
    expect(await isolator.isIsolated()).to.equal(false)
  })

  it('restore after a crash right after the journal write (nothing added) is a no-op that succeeds', async () => {
    execFileSync('ip', ['netns', 'exec', lab.ns, 'nft', '-f', '-'], {input: USER_RULESET})
    const original = lab.nftRuleset()
    const isolator = linuxIsolator({exec: lab.exec, journalDir})
    const saved = await isolator.snapshot()
    await isolator.restore(journalOf(saved, null))
    expect(lab.nftRuleset()).to.equal(original)
    expect(await lab.canConnect(8080)).to.equal(true)
    expect(await isolator.isIsolated()).to.equal(false)
  })

  it('restore puts back a ruleset someone changed during the incident, exactly', async () => {
    execFileSync('ip', ['netns', 'exec', lab.ns, 'nft', '-f', '-'], {input: USER_RULESET})
    const original = lab.nftRuleset()
    const isolator = linuxIsolator({exec: lab.exec, journalDir})
    const saved = await isolator.snapshot()
    await isolator.isolate(saved, null)
    execFileSync('ip', ['netns', 'exec', lab.ns, 'nft', 'delete', 'table', 'inet', 'user_fw'])
    execFileSync('ip', ['netns', 'exec', lab.ns, 'nft', 'add', 'table', 'ip', 'intruder'])
    await isolator.restore(journalOf(saved, 'nftables'))
    expect(lab.nftRuleset()).to.equal(original)
  })

  it('iptables fallback (nft missing): cuts, then restores iptables-save apart from comments and counters', async () => {
    // A usual host firewall: conntrack accepts established traffic; our chain must come first.
    execFileSync('ip', ['netns', 'exec', lab.ns, 'iptables', '-A', 'INPUT', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'])
    execFileSync('ip', ['netns', 'exec', lab.ns, 'iptables', '-A', 'OUTPUT', '-m', 'conntrack', '--ctstate', 'ESTABLISHED,RELATED', '-j', 'ACCEPT'])
    execFileSync('ip', ['netns', 'exec', lab.ns, 'iptables', '-A', 'INPUT', '-p', 'tcp', '--dport', '22', '-j', 'ACCEPT'])
    const saveText = (): string => execFileSync('ip', ['netns', 'exec', lab.ns, 'iptables-save'], {encoding: 'utf8'})
    const before = saveText()
    const held = await lab.openConnection(8080)
    expect(await held.echoes()).to.equal(true)

    const isolator = linuxIsolator({exec: without(lab.exec, ['nft']), journalDir})
    const saved = await isolator.snapshot()
    expect(saved.nft_ruleset).to.equal(null)
    expect(isolator.plan(saved, null).method).to.equal('iptables')
    const result = await isolator.isolate(saved, null)
    expect(result.method).to.equal('iptables')
    expect(result.warnings).to.have.length(1)
    expect(result.warnings[0]).to.match(/nftables failed \(nft not found\); trying iptables/)

    expect(await lab.canConnect(8080, 1500)).to.equal(false)
    expect(await held.echoes(1500)).to.equal(false)
    const rules = execFileSync('ip', ['netns', 'exec', lab.ns, 'iptables', '-S'], {encoding: 'utf8'})
    for (const hook of ['INPUT', 'OUTPUT', 'FORWARD']) expect(rules).to.include(`-A ${hook} -j NM_GUARD`)
    expect(await isolator.isIsolated()).to.equal(true)

    await isolator.restore(journalOf(saved, 'iptables'))
    expect(normalizeIptablesSave(saveText())).to.equal(normalizeIptablesSave(before))
    expect(await lab.canConnect(8080)).to.equal(true)
    expect(await isolator.isIsolated()).to.equal(false)
    await isolator.restore(journalOf(saved, 'iptables'))
    expect(normalizeIptablesSave(saveText())).to.equal(normalizeIptablesSave(before))
  })

  it('link-down fallback (no nft, no iptables): links down, restore brings them and the default route back', async () => {
    const exec = without(lab.exec, ['nft', 'iptables', 'ip6tables', 'iptables-restore', 'ip6tables-restore', 'iptables-save', 'ip6tables-save'])
    const isolator = linuxIsolator({exec, journalDir})
    const saved = await isolator.snapshot()
    expect(isolator.plan(saved, null)).to.deep.equal({
      commands: [{args: ['link', 'set', 'dev', lab.pcLink, 'down'], file: 'ip', purpose: 'incident.step.linkDown'}],
      method: 'link-down',
      platform: 'linux',
    })
    const result = await isolator.isolate(saved, null)
    expect(result.method).to.equal('link-down')
    expect(result.warnings).to.have.length(2)
    expect(await lab.canConnect(8080, 1000)).to.equal(false)
    const link = JSON.parse(execFileSync('ip', ['-n', lab.ns, '-j', 'link', 'show', lab.pcLink], {encoding: 'utf8'})) as {flags: string[]}[]
    expect(link[0]?.flags).to.not.include('UP')
    expect(execFileSync('ip', ['-n', lab.ns, 'route', 'show', 'default'], {encoding: 'utf8'})).to.equal('')
    expect(await isolator.isIsolated()).to.equal(true)

    await isolator.restore(journalOf(saved, 'link-down'))
    expect(execFileSync('ip', ['-n', lab.ns, 'route', 'show', 'default'], {encoding: 'utf8'})).to.include(`default via ${lab.peerAddr}`)
    expect(await lab.canConnect(8080)).to.equal(true)
    expect(await isolator.isIsolated()).to.equal(false)
    await isolator.restore(journalOf(saved, 'link-down'))
    expect(await lab.canConnect(8080)).to.equal(true)
  })
})

describe('Linux isolation plan and fallback order (recorded output)', () => {
  const saved: SavedNetworkState = {ip6tables_save: '', iptables_save: '', links: [{name: 'enp3s0', up: true}, {name: 'enp4s0', up: false}], nft_ruleset: '', platform: 'linux', routes: []}

  it('plans the first method that applies', () => {
    expect(linuxIsolator({exec: fakeExec({}), journalDir: '/nonexistent'}).plan(saved, null)).to.deep.equal({
      commands: [{args: ['-f', '-'], file: 'nft', input: nftIsolationScript(null), purpose: 'incident.step.nftablesBridge'}],
      method: 'nftables',
      platform: 'linux',
    })
    const ipt = linuxPlan({...saved, nft_ruleset: null}, null)
    expect(ipt.commands.map((c) => `${renderCommand(c)}  # ${c.purpose}`)).to.deep.equal([
      'iptables-restore -w --noflush <<stdin  # incident.step.iptables',
      'ip6tables-restore -w --noflush <<stdin  # incident.step.ip6tables',
    ])
    expect(linuxPlan({...saved, ip6tables_save: null, iptables_save: null, nft_ruleset: null}, null).commands.map(renderCommand)).to.deep.equal(['ip link set dev enp3s0 down'])
    // iptables cannot see bridged frames: the bridge ports that are up go down too (#11 2.4).
    const bridged = linuxPlan({...saved, bridge_ports: [{bridge: 'br0', name: 'enp3s0', up: true}, {bridge: 'br0', name: 'vnet0', up: true}, {bridge: 'virbr0', name: 'vnet1', up: false}], nft_ruleset: null}, null)
    expect(bridged.commands.map((c) => `${renderCommand(c)}  # ${c.purpose}`)).to.deep.equal([
      'iptables-restore -w --noflush <<stdin  # incident.step.iptables',
      'ip6tables-restore -w --noflush <<stdin  # incident.step.ip6tables',
      'ip link set dev enp3s0 down  # incident.step.bridgePortDown',
      'ip link set dev vnet0 down  # incident.step.bridgePortDown',
    ])
  })

  it('says why each method failed, in the chosen language, and fails when every method did', async () => {
    const journalDir = mkdtempSync(join(tmpdir(), 'nmg-isolation-'))
    try {
      const exec = fakeExec({ip: {code: 2, stderr: 'RTNETLINK answers: Operation not permitted'}, nft: {code: 1, stderr: 'Error: Could not process rule: Operation not permitted'}})
      const error = await linuxIsolator({exec, journalDir, lang: 'zh-CN'})
        .isolate(saved, null)
        .then(() => null, (e: unknown) => e)
      expect(error).to.be.instanceOf(IsolationFailed)
      expect((error as IsolationFailed).reasons).to.have.length(3)
      expect((error as IsolationFailed).reasons[0]).to.match(/^nftables: nft -f - exited 1: Error: Could not process rule/)
      expect((error as IsolationFailed).reasons[1]).to.equal('iptables: iptables-restore not found')
      expect((error as IsolationFailed).reasons[2]).to.match(/^link-down: .*Operation not permitted/)
      expect((error as IsolationFailed).warnings).to.have.length(3)
      expect((error as IsolationFailed).warnings[0]).to.match(/^使用 nftables 断网失败（nft -f - exited 1: .*），改用 iptables。$/)
      expect((error as IsolationFailed).warnings[2]).to.match(/^使用 link-down 断网也失败了/)
    } finally {
      rmSync(journalDir, {force: true, recursive: true})
    }
  })
})
