// The disconnect and reconnect flows on Windows' recorded netsh output (this machine can only run
// Linux for real; the Linux flow is tested end to end in test/commands/disconnect.linux-e2e.test.ts).
import {execFileSync} from 'node:child_process'
import {chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import type {Exec} from '../../src/facts/types.js'
import {disconnect, disconnectPlan} from '../../src/incident/disconnect.js'
import {journalPath, readJournal} from '../../src/incident/journal.js'
import {reconnect} from '../../src/incident/reconnect.js'
import {toolName} from '../../src/os/tools.js'
import {renderPlan} from '../../src/incident/render-plan.js'
import {psFixture, psStdout} from '../facts/win32/ps-fixtures.js'
import {type FakeAnswer, fakeExec, fixtureBytes} from '../helpers/fake-exec.js'
import {refusal} from '../helpers/refusal.js'
import {hasCommand, isRoot, requirePart} from '../helpers/require-part.js'

const profiles = fixtureBytes('win32/incident/netsh-show-allprofiles-en.txt')

/**
 * netsh answering as an elevated Windows would; every call notes whether the journal existed then.
 * `state` is what the cut's PowerShell reading prints (other PowerShell scripts find none);
 * `polls` answer `netsh interface show interface` in turn, the last one repeating.
 */
function windows(root: string, extra: Record<string, FakeAnswer> = {}, state?: string, polls: FakeAnswer[] = []): Exec & {calls: string[][]; journalAt: boolean[]} {
  const inner = fakeExec({whoami: {raw: fixtureBytes('win32/os/whoami-groups-elevated-zh.gbk.bin')}, netsh: {raw: profiles}, ...extra})
  const queue = [...polls]
  const journalAt: boolean[] = []
  const run = (async (file, args, options) => {
    journalAt.push(existsSync(journalPath(root)))
    const name = toolName(file)
    if (name === 'powershell' && state && String(options?.input ?? '').includes('-PolicyStore RSOP')) {
      inner.calls.push([file, ...args])
      return fakeExec({powershell: {stdout: psStdout(...psFixture(`incident/${state}`))}})(file, args, options)
    }
    if (name === 'netsh' && args.join(' ') === 'interface show interface' && queue.length > 0) {
      inner.calls.push([file, ...args])
      return fakeExec({netsh: (queue.length > 1 ? queue.shift() : queue[0]) as FakeAnswer})(file, args, options)
    }
    return inner(file, args, options)
  }) as Exec & {calls: string[][]; journalAt: boolean[]}
  run.calls = inner.calls
  run.journalAt = journalAt
  return run
}

const ifaces = (name: string): FakeAnswer => ({raw: fixtureBytes(`win32/incident/${name}`)})
const fast = {intervalMs: 5, timeoutMs: 150}

const options = (root: string, exec: Exec) => ({evidenceDir: undefined, exec, hostname: 'GC-XMT-01', keepCollector: false, lang: 'zh-CN' as const, platform: 'win32' as const, reason: '异常登录', root})

describe('disconnect flow (Windows, recorded netsh)', () => {
  it('journals before the first change, cuts with netsh, keeps failed evidence items, drafts the report', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-flow-'))
    const exec = windows(root, {}, 'ps-state-local.json', [ifaces('netsh-interface-show-zh-gbk.txt')])
    const result = await disconnect(options(root, exec))
    const firstChange = exec.calls.findIndex(([file, ...args]) => toolName(file ?? '') === 'netsh' && args[0] === 'advfirewall' && args[1] !== 'show')
    expect(firstChange).to.be.greaterThan(0)
    expect(exec.calls[firstChange]?.slice(1, 3)).to.deep.equal(['advfirewall', 'export'])
    expect(exec.journalAt[firstChange]).to.equal(true)
    expect(result.method).to.equal('windows-firewall')
    // The restarted 以太网 was back before anything was probed.
    expect(result.verification).to.deep.equal({collector: 'none', gateway: 'none', local: {adapters: ['以太网'], state: 'ready'}})
    expect(result.exit_code).to.equal(0)
    expect(result.notice).to.equal('not-enrolled')
    // Evidence commands that are missing here are recorded in the manifest, never fatal.
    const manifest = JSON.parse(readFileSync(join(result.evidence_dir, 'manifest.json'), 'utf8')) as {items: {status: string}[]}
    expect(manifest.items.some((item) => item.status === 'failed')).to.equal(true)
    expect(readFileSync(result.report_path as string, 'utf8')).to.contain('GC-XMT-01').and.to.contain('网信')
    const journal = await readJournal(root)
    expect(journal?.phase).to.equal('done')
    expect(journal?.timeline.map((e) => e.event).slice(0, 3)).to.deep.equal(['incident.timeline.started', 'incident.timeline.journalled', 'incident.timeline.isolated'])

    const back = await reconnect({exec, lang: 'en', platform: 'win32', root})
    expect(back.ruleset_equal).to.equal(null)
    expect(back.exit_code).to.equal(0)
    expect(exec.calls.filter(([, , , action]) => action === 'delete').map((call) => call.at(-1))).to.include('name=nm-guard block out')
    expect(await readJournal(root)).to.equal(null)
  })

  it('an --evidence-dir a real unprivileged user owns, with links planted after the check: cut first, evidence to the root-owned default, the root-only file untouched (#11 2.1)', async function () {
    requirePart(this, isRoot(), 'running as root')
    requirePart(this, hasCommand('setpriv'), 'setpriv (package util-linux)')
    const root = mkdtempSync(join(tmpdir(), 'nmg-flow-'))
    const secretDir = mkdtempSync(join(tmpdir(), 'nmg-secret-'))
    const secret = join(secretDir, 'root-only')
    writeFileSync(secret, 'root only\n', {mode: 0o600})
    // The user's own folder, empty when disconnect checks it before the cut.
    const evidence = mkdtempSync(join(tmpdir(), 'nmg-userev-'))
    chownSync(evidence, 65534, 65534)
    const inner = windows(root, {}, 'ps-state-local.json', [ifaces('netsh-interface-show-zh-gbk.txt')])
    let planted = false
    const exec = (async (file, args, options) => {
      if (!planted && toolName(file) === 'netsh' && args[0] === 'advfirewall' && args[1] !== 'show') {
        // During the cut the user plants links named like evidence files, to a root-only file and folder.
        planted = true
        const asNobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups']
        execFileSync(asNobody[0] as string, [...asNobody.slice(1), 'ln', '-s', secret, join(evidence, 'manifest.json')])
        execFileSync(asNobody[0] as string, [...asNobody.slice(1), 'ln', '-s', secretDir, join(evidence, 'network')])
      }
      return inner(file, args, options)
    }) as Exec
    const result = await disconnect({...options(root, exec), evidenceDir: evidence, lang: 'en'})
    expect(planted).to.equal(true)
    expect(result.method).to.equal('windows-firewall')
    expect(result.evidence_dir.startsWith(join(root, 'incident'))).to.equal(true)
    expect(result.warnings.join('\n')).to.contain(`The evidence folder ${evidence} is not safe for root to write into (${evidence} is owned by uid 65534, not by root)`)
    expect(existsSync(join(result.evidence_dir, 'manifest.json'))).to.equal(true)
    expect(readFileSync(secret, 'utf8')).to.equal('root only\n')
    expect(readdirSync(secretDir)).to.deep.equal(['root-only'])
    expect(readdirSync(evidence).sort()).to.deep.equal(['manifest.json', 'network'])
    const journal = await readJournal(root)
    expect(journal?.evidence_dir).to.equal(result.evidence_dir)
    expect(journal?.timeline.map((e) => e.event)).to.include('incident.timeline.evidenceDirUnsafe')
  })

  it('refuses without administrator rights before touching anything', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-flow-'))
    const exec = windows(root, {whoami: {raw: fixtureBytes('win32/os/whoami-groups-filtered-zh.csv')}})
    expect((await refusal(disconnect(options(root, exec)))).key).to.equal('incident.needAdmin')
    expect(exec.calls).to.deep.equal([['C:\\Windows\\System32\\whoami.exe', '/groups', '/fo', 'csv', '/nh']])
    expect(existsSync(journalPath(root))).to.equal(false)
  })

  it('cuts nothing and says to pull the cable when the journal cannot be written', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-flow-'))
    // A dangling link where the incident folder belongs: nothing reads as open, nothing can be written.
    symlinkSync(join(root, 'gone', 'incident'), join(root, 'incident'))
    const exec = windows(root)
    expect((await refusal(disconnect(options(root, exec)))).key).to.equal('incident.journalFailed')
    expect(exec.calls.filter(([file, ...args]) => toolName(file ?? '') === 'netsh' && args[1] !== 'show')).to.deep.equal([])
  })

  it('keeps the journal and says to pull the cable when the cut fails', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-flow-'))
    const exec = windows(root, {'netsh advfirewall set allprofiles state on': {code: 1, stdout: 'The requested operation requires elevation (Run as administrator).'}})
    expect((await refusal(disconnect(options(root, exec)))).key).to.equal('incident.isolationFailed')
    const journal = await readJournal(root)
    expect(journal?.timeline.at(-1)?.event).to.equal('incident.timeline.isolationFailed')
  })

  it('--dry-run plans without administrator rights and without a journal', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-flow-'))
    const exec = windows(root, {whoami: {code: 1}}, 'ps-state-local.json')
    const {plan} = await disconnectPlan(options(root, exec))
    expect(renderPlan(plan, 'en')).to.contain('netsh advfirewall set allprofiles firewallpolicy blockinbound,blockoutbound')
    expect(existsSync(journalPath(root))).to.equal(false)
  })

  it('--dry-run on a Group-Policy PC, and on one without PowerShell: the adapters, and why', async () => {
    const gpo = await disconnectPlan(options(mkdtempSync(join(tmpdir(), 'nmg-flow-')), windows('', {whoami: {code: 1}}, 'ps-state-gpo.json')))
    expect(renderPlan(gpo.plan, 'en').split('\n')).to.deep.equal([
      'Isolation plan (win32, adapters-disabled): nothing is changed by --dry-run',
      `! ${'Group Policy controls this PC\'s firewall'} (Domain: Enabled=True, Domain: DefaultInboundAction=Block, Domain: DefaultOutboundAction=Allow, Domain: AllowLocalFirewallRules=False, Private: AllowLocalFirewallRules=False, Public: AllowLocalFirewallRules=False), so changes made here may have no effect: the cut disables the network adapters instead.`,
      '1. Disable a network adapter: no firewall policy, Group Policy included, can override that',
      '   $ netsh interface set interface name=以太网 admin=disabled',
      '2. Disable a network adapter: no firewall policy, Group Policy included, can override that',
      '   $ netsh interface set interface name=WLAN admin=disabled',
    ])
    const win7 = await disconnectPlan(options(mkdtempSync(join(tmpdir(), 'nmg-flow-')), windows('', {'netsh interface show interface': ifaces('netsh-interface-show-zh-gbk.txt'), whoami: {code: 1}})))
    const text = renderPlan(win7.plan, 'zh-CN')
    expect(text).to.contain('无法读取 Windows 防火墙状态').and.to.contain('$ netsh interface set interface name=以太网 admin=disabled')
    expect(text).not.to.contain('advfirewall')
  })

  it('Group Policy controls the firewall: disables the adapters, verifies they stay off, and reconnect switches exactly those back on', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-flow-'))
    const exec = windows(root, {}, 'ps-state-gpo.json', [ifaces('netsh-interface-show-all-disabled-zh-gbk.txt')])
    const result = await disconnect({...options(root, exec), settle: fast})
    expect(result.method).to.equal('adapters-disabled')
    expect(result.exit_code).to.equal(0)
    expect(result.verification).to.deep.equal({collector: 'none', gateway: 'none', local: {adapters: ['以太网', 'WLAN'], state: 'held'}})
    expect(result.warnings[0]).to.contain('组策略')
    expect(exec.calls.some(([file, ...args]) => toolName(file ?? '') === 'netsh' && args[0] === 'advfirewall' && !args.includes('show'))).to.equal(false)
    const journal = await readJournal(root)
    expect(journal?.method).to.equal('adapters-disabled')
    expect(journal?.saved.windows_disable).to.deep.equal(['以太网', 'WLAN'])
    expect(journal?.saved.windows_firewall?.gpo_managed).to.equal(true)

    exec.calls.length = 0
    const back = await reconnect({exec, lang: 'en', platform: 'win32', root})
    expect(back.exit_code).to.equal(0)
    expect(exec.calls.filter(([, , action]) => action === 'set').map((call) => `${call[4]} ${call[5]}`)).to.deep.equal(['name=以太网 admin=enabled', 'name=WLAN admin=enabled'])
  })

  it('a PC bridging its network for VMs (Hyper-V, VMware) or sharing it (ICS): disables the adapters, whose traffic the firewall never sees (#11 2.4)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-flow-'))
    const exec = windows(root, {}, 'ps-state-bridged.json', [ifaces('netsh-interface-show-all-disabled-zh-gbk.txt')])
    const result = await disconnect({...options(root, exec), settle: fast})
    expect(result.method).to.equal('adapters-disabled')
    expect(result.exit_code).to.equal(0)
    expect(result.warnings[0]).to.equal('网卡 以太网, WLAN 为虚拟机或其他设备桥接或共享了本机网络，这些流量不经过 Windows 防火墙：改为禁用网卡来断网。')
    expect(result.verification.local).to.deep.equal({adapters: ['以太网', 'WLAN'], state: 'held'})
    expect(exec.calls.some(([file, ...args]) => toolName(file ?? '') === 'netsh' && args[0] === 'advfirewall' && !args.includes('show'))).to.equal(false)
    expect((await readJournal(root))?.saved.windows_bridged).to.deep.equal(['以太网', 'WLAN'])
  })

  it('--keep-collector on a Group-Policy PC: says it cannot be kept, and the result and journal say isolation is full', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-flow-'))
    mkdirSync(join(root, 'agent'), {recursive: true})
    const enrollment = {agent_id: '6f1c2a8e-3b4d-4e5f-8a9b-0c1d2e3f4a5b', ca_fingerprint: 'AA'.repeat(32), enrolled_at: '2026-11-01T00:00:00Z', url: 'https://127.0.0.1:9'}
    writeFileSync(join(root, 'agent', 'enrollment.json'), JSON.stringify(enrollment))
    const exec = windows(root, {}, 'ps-state-gpo.json', [ifaces('netsh-interface-show-all-disabled-zh-gbk.txt')])
    const result = await disconnect({...options(root, exec), keepCollector: true, settle: fast})
    expect(result.method).to.equal('adapters-disabled')
    expect(result.keep_collector).to.equal(null)
    expect(result.warnings.join('\n')).to.contain('--keep-collector').and.to.contain('已完全断网')
    // The collector is expected blocked like the gateway, and the adapters staying off shows it.
    expect(result.verification).to.deep.equal({collector: 'blocked', gateway: 'none', local: {adapters: ['以太网', 'WLAN'], state: 'held'}})
    const journal = await readJournal(root)
    expect(journal?.keep_collector).to.equal(null)
    expect(journal?.timeline.map((e) => e.event)).to.include('incident.timeline.keepImpossible')
  })

  it('waits for the restarted adapter before probing, and without it the cut is not proven (never "blocked")', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-flow-'))
    const slow = windows(root, {}, 'ps-state-local.json', [ifaces('netsh-interface-show-ethernet-disabled-zh-gbk.txt'), ifaces('netsh-interface-show-ethernet-disconnected-zh-gbk.txt'), ifaces('netsh-interface-show-zh-gbk.txt')])
    const late = await disconnect({...options(root, slow), settle: {intervalMs: 5, timeoutMs: 5000}})
    expect(late.verification.local).to.deep.equal({adapters: ['以太网'], state: 'ready'})
    expect(slow.calls.filter(([, ...args]) => args.join(' ') === 'interface show interface')).to.have.length(3)
    expect(late.exit_code).to.equal(0)

    const other = mkdtempSync(join(tmpdir(), 'nmg-flow-'))
    const never = windows(other, {}, 'ps-state-local.json', [ifaces('netsh-interface-show-ethernet-disconnected-zh-gbk.txt')])
    const result = await disconnect({...options(other, never), settle: fast})
    expect(result.verification).to.deep.equal({collector: 'none', gateway: 'none', local: {adapters: ['以太网'], state: 'not-ready'}})
    expect(result.exit_code).to.equal(1)
    expect(result.warnings.join('\n')).to.contain('网卡 以太网 重启后没有恢复连接')
    expect((await readJournal(other))?.timeline.map((e) => e.event)).to.include('incident.timeline.verifyFailed')
  })
})
