import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import type {Exec, ExecOptions} from '../../../src/facts/types.js'
import {IsolationFailed} from '../../../src/incident/isolation/isolator.js'
import {ADAPTERS_MARKER, win32Isolator} from '../../../src/incident/isolation/isolator.win32.js'
import {firewallPlan, windowsPlan} from '../../../src/incident/isolation/windows-firewall.js'
import type {CollectorEndpoint, Journal, SavedNetworkState} from '../../../src/incident/types.js'
import {FactError} from '../../../src/os/fact-error.js'
import {toolName} from '../../../src/os/tools.js'
import {psFixture, psStdout, sentScripts} from '../../facts/win32/ps-fixtures.js'
import {type FakeAnswer, fakeExec, fixtureBytes} from '../../helpers/fake-exec.js'

const SHOW = 'netsh advfirewall show allprofiles'
const SHOW_RULE = 'netsh advfirewall firewall show rule name=nm-guard block out'
const IFACES = 'netsh interface show interface'
const ok = {raw: fixtureBytes('win32/incident/netsh-export-ok-zh-gbk.txt')}
const denied = {code: 1, raw: fixtureBytes('win32/incident/netsh-access-denied-zh-gbk.txt')}
const ps = (name: string): FakeAnswer => ({stdout: psStdout(...psFixture(`incident/${name}`))})
const ifaces = (name: string): FakeAnswer => ({raw: fixtureBytes(`win32/incident/${name}`)})
const keep: CollectorEndpoint = {addresses: ['203.0.113.10'], host: 'collector.example.gov.cn', port: 8443, url: 'https://collector.example.gov.cn:8443'}

/** fakeExec, except that `netsh interface show interface` answers from `polls` in turn (the last one repeating). */
function withPolls(answers: Record<string, FakeAnswer>, polls: FakeAnswer[]): Exec & {calls: string[][]; inputs: Array<Buffer | string | undefined>} {
  const queue = [...polls]
  const inner = fakeExec(answers)
  const run = (async (file, args, options) => {
    if (toolName(file) === 'netsh' && args.join(' ') === 'interface show interface' && queue.length > 0) {
      const answer = (queue.length > 1 ? queue.shift() : queue[0]) as FakeAnswer
      inner.calls.push([file, ...args])
      return fakeExec({netsh: answer})(file, args, options)
    }
    return inner(file, args, options)
  }) as Exec & {calls: string[][]; inputs: Array<Buffer | string | undefined>}
  run.calls = inner.calls
  run.inputs = inner.inputs
  return run
}

describe('Windows isolator (PowerShell state, netsh cut, recorded output)', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nmg-win-'))
  })
  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  const isolator = (answers: Record<string, FakeAnswer>, exec: Exec & {calls: string[][]; inputs: Array<Buffer | string | undefined>} = fakeExec(answers)) => ({
    exec,
    iso: win32Isolator({exec, journalDir: dir, lang: 'zh-CN', now: () => new Date('2026-11-27T08:00:00Z'), settle: {intervalMs: 5, timeoutMs: 150}}),
  })
  const journal = (saved: SavedNetworkState, method: Journal['method'] = null): Journal => ({method, saved} as Journal)

  it('snapshots with one PowerShell run: profiles in force, no Group Policy, adapters to bounce and to disable', async () => {
    const {exec, iso} = isolator({powershell: ps('ps-state-local.json')})
    const saved = await iso.snapshot()
    expect(exec.calls).to.have.length(1)
    expect(toolName(exec.calls[0]?.[0] ?? '')).to.equal('powershell')
    expect(sentScripts(exec.inputs)[0]).to.contain('-PolicyStore RSOP').and.to.contain("Select-Object 'Name', 'Enabled'")
    expect(saved.windows_policy_file).to.equal(join(dir, 'firewall-before-20261127T080000000Z.wfw'))
    expect(saved.windows_profiles?.map((p) => `${p.profile}:${p.enabled}:${p.policy}`)).to.deep.equal([
      'domain:true:BlockInbound,AllowOutbound',
      'private:true:BlockInbound,AllowOutbound',
      'public:true:BlockInbound,AllowOutbound',
    ])
    expect(saved.windows_firewall).to.deep.include({adapters_source: 'powershell', gpo_managed: false, part_of_domain: false, source: 'powershell'})
    // Connected ones are bounced (the VPN and Hyper-V switch too); the physical enabled ones, Wi-Fi included, are what adapters-disabled takes.
    expect(saved.windows_adapters).to.deep.equal(['以太网', '以太网 2', 'vEthernet (Default Switch)'])
    expect(saved.windows_disable).to.deep.equal(['以太网', 'WLAN'])
    expect(windowsPlan(saved, null).method).to.equal('windows-firewall')
  })

  it('local policy: isolates by running the firewall plan in order, and a re-run neither re-exports nor stacks rules', async () => {
    const {exec, iso} = isolator({netsh: ok, powershell: ps('ps-state-local.json')})
    const saved = await iso.snapshot()
    expect(await iso.isolate(saved, null)).to.deep.equal({method: 'windows-firewall', warnings: []})
    const planned = firewallPlan(saved, null).commands.map((c) => [c.file, ...c.args])
    expect(exec.calls.slice(1)).to.deep.equal(planned)
    expect(planned.slice(-6).map((c) => c.at(-1))).to.deep.equal(['admin=disabled', 'admin=enabled', 'admin=disabled', 'admin=enabled', 'admin=disabled', 'admin=enabled'])

    writeFileSync(saved.windows_policy_file as string, 'exported policy')
    exec.calls.length = 0
    await iso.isolate({...saved, windows_adapters: []}, null)
    expect(exec.calls.map((c) => c.slice(1, 5).join(' '))).to.deep.equal([
      'advfirewall firewall delete rule',
      'advfirewall firewall delete rule',
      'advfirewall firewall delete rule',
      'advfirewall set allprofiles state',
      'advfirewall set allprofiles firewallpolicy',
      'advfirewall firewall add rule',
      'advfirewall firewall add rule',
    ])
  })

  it('Group Policy controls the firewall: disables the physical adapters, says why in Chinese, and reconnect re-enables exactly those', async () => {
    const {exec, iso} = isolator({netsh: ok, powershell: ps('ps-state-gpo.json')})
    const saved = await iso.snapshot()
    expect(saved.windows_firewall?.gpo_managed).to.equal(true)
    expect(saved.windows_firewall?.gpo_reasons).to.include.members(['Domain: Enabled=True', 'Domain: DefaultOutboundAction=Allow', 'Public: AllowLocalFirewallRules=False'])
    expect(saved.windows_disable).to.deep.equal(['以太网', 'WLAN'])
    exec.calls.length = 0
    const isolated = await iso.isolate(saved, null)
    expect(isolated.method).to.equal('adapters-disabled')
    expect(isolated.full).to.equal(true)
    expect(isolated.warnings).to.have.length(1)
    expect(isolated.warnings[0]).to.contain('组策略').and.to.contain('Domain: Enabled=True')
    expect(exec.calls.map((c) => c.slice(1).join(' '))).to.deep.equal(['interface set interface name=以太网 admin=disabled', 'interface set interface name=WLAN admin=disabled'])
    // Nothing of the firewall was touched.
    expect(exec.calls.some((c) => c[1] === 'advfirewall')).to.equal(false)
    expect(JSON.parse(readFileSync(join(dir, ADAPTERS_MARKER), 'utf8'))).to.deep.equal(['以太网', 'WLAN'])
    expect(await iso.isIsolated()).to.equal(true)

    exec.calls.length = 0
    await iso.restore(journal(saved, 'adapters-disabled'))
    expect(exec.calls.filter((c) => c[1] === 'interface').map((c) => c.slice(1).join(' '))).to.deep.equal(['interface set interface name=以太网 admin=enabled', 'interface set interface name=WLAN admin=enabled'])
    expect(existsSync(join(dir, ADAPTERS_MARKER))).to.equal(false)
  })

  it('re-enables the journalled adapters when the marker is lost, and keeps the journal when one refuses', async () => {
    const {exec, iso} = isolator({netsh: ok, powershell: ps('ps-state-gpo.json'), 'netsh interface set interface name=WLAN admin=enabled': denied})
    const saved = await iso.snapshot()
    exec.calls.length = 0
    const error = await iso.restore(journal(saved, 'adapters-disabled')).then(() => null, (e: unknown) => e as Error)
    expect(error?.message).to.contain('name=WLAN').and.to.contain('请求的操作需要提升')
    expect(exec.calls.filter((c) => c[1] === 'interface').map((c) => c.at(-2))).to.deep.equal(['name=以太网', 'name=WLAN'])
  })

  it('--keep-collector with adapters disabled: isolation is full and it says so', async () => {
    const {iso} = isolator({netsh: ok, powershell: ps('ps-state-gpo.json')})
    const saved = await iso.snapshot()
    expect(windowsPlan(saved, keep).notes?.map((n) => n.key)).to.deep.equal(['incident.isolation.gpoManaged', 'incident.isolation.keepImpossible'])
    const isolated = await iso.isolate(saved, keep)
    expect(isolated).to.deep.include({full: true, method: 'adapters-disabled'})
    expect(isolated.warnings[1]).to.contain('--keep-collector').and.to.contain(keep.url)
  })

  it('PowerShell failing: reads the adapters from netsh (GBK) and disables them, with a warning', async () => {
    const {exec, iso} = isolator({[IFACES]: ifaces('netsh-interface-show-zh-gbk.txt'), netsh: ok, powershell: new FactError('timeout', 'powershell.exe timed out')})
    const saved = await iso.snapshot()
    expect(saved.windows_firewall).to.deep.include({adapters_source: 'netsh', source: null})
    expect(saved.windows_profiles).to.equal(undefined)
    expect(saved.windows_disable).to.deep.equal(['以太网'])
    exec.calls.length = 0
    const isolated = await iso.isolate(saved, null)
    expect(isolated.method).to.equal('adapters-disabled')
    expect(isolated.warnings[0]).to.contain('无法读取 Windows 防火墙状态').and.to.contain('timed out')
    expect(exec.calls.map((c) => c.slice(1).join(' '))).to.deep.equal(['interface set interface name=以太网 admin=disabled'])
  })

  it('an unknown state word never aborts: the cut disables the adapters instead', async () => {
    const {iso} = isolator({netsh: ok, powershell: ps('ps-state-unknown-word.json')})
    const saved = await iso.snapshot()
    expect(saved.windows_firewall?.source).to.equal(null)
    expect(saved.windows_firewall?.error).to.contain('"Enabled"')
    const isolated = await iso.isolate(saved, null)
    expect(isolated.method).to.equal('adapters-disabled')
    expect(isolated.warnings[0]).to.contain('无法读取 Windows 防火墙状态')
  })

  it('falls back to the firewall when no adapter can be disabled, and fails with netsh’s own words (GBK) when both are refused', async () => {
    const gpo = {'netsh interface set interface name=以太网 admin=disabled': denied, 'netsh interface set interface name=WLAN admin=disabled': denied, netsh: ok, powershell: ps('ps-state-gpo.json')}
    const fallback = isolator(gpo)
    const isolated = await fallback.iso.isolate(await fallback.iso.snapshot(), null)
    expect(isolated.method).to.equal('windows-firewall')
    expect(isolated.warnings.join('\n')).to.contain('以太网').and.to.contain('改用 windows-firewall')

    const {iso} = isolator({netsh: denied, powershell: ps('ps-state-local.json')})
    const error = await iso.isolate(await iso.snapshot(), null).then(() => null, (e: unknown) => e)
    expect(error).to.be.instanceOf(IsolationFailed)
    expect((error as IsolationFailed).reasons.map((r) => r.split(':')[0])).to.deep.equal(['windows-firewall', 'adapters-disabled'])
    expect((error as Error).message).to.include('请求的操作需要提升(作为管理员运行)')
  })

  it('restores by importing the export and deleting its rules; after a crash before the export, only the deletes', async () => {
    const {exec, iso} = isolator({[IFACES]: {code: 1, stdout: ''}, netsh: {code: 1, stdout: 'No rules match the specified criteria.'}, [`netsh advfirewall import ${join(dir, 'firewall-before-20261127T080000000Z.wfw')}`]: ok})
    const saved = await iso.snapshot()
    exec.calls.length = 0
    await iso.restore(journal(saved))
    expect(exec.calls.map((c) => c.slice(2, 4).join(' '))).to.deep.equal(['firewall delete', 'firewall delete', 'firewall delete'])

    writeFileSync(saved.windows_policy_file as string, 'exported policy')
    exec.calls.length = 0
    await iso.restore(journal(saved))
    expect(exec.calls[0]).to.deep.equal(['netsh', 'advfirewall', 'import', saved.windows_policy_file])
    expect(exec.calls).to.have.length(4)
  })

  it('warns (not fails) on a refused bounce, and re-enables the bounced adapters on restore', async () => {
    const down = 'netsh interface set interface name=以太网 admin=disabled'
    const {exec, iso} = isolator({[down]: denied, netsh: ok, powershell: ps('ps-state-local.json')})
    const saved = await iso.snapshot()
    const isolated = await iso.isolate(saved, null)
    expect(isolated.method).to.equal('windows-firewall')
    expect(isolated.warnings).to.have.length(1)
    expect(isolated.warnings[0]).to.include('以太网').and.to.include('请求的操作需要提升')
    exec.calls.length = 0
    await iso.restore(journal(saved, 'windows-firewall'))
    expect(exec.calls.slice(-3).map((c) => c.at(-2))).to.deep.equal(['name=以太网', 'name=以太网 2', 'name=vEthernet (Default Switch)'])
  })

  describe('verification before probing', () => {
    const local = {netsh: ok, powershell: ps('ps-state-local.json')}

    it('after a bounce, waits until the restarted physical adapter is connected again', async () => {
      const exec = withPolls(local, [ifaces('netsh-interface-show-ethernet-disabled-zh-gbk.txt'), ifaces('netsh-interface-show-ethernet-disconnected-zh-gbk.txt'), ifaces('netsh-interface-show-zh-gbk.txt')])
      const {iso} = isolator(local, exec)
      const saved = await iso.snapshot()
      exec.calls.length = 0
      // The VPN (以太网 2) cannot come back through the block, so only 以太网 is awaited.
      expect(await iso.verifyLocal?.(saved, 'windows-firewall')).to.deep.equal({adapters: ['以太网'], state: 'ready'})
      expect(exec.calls.filter((c) => c[1] === 'interface')).to.have.length(3)
    })

    it('then waits until the default route is back: connected is not yet routed', async () => {
      const routed = {netsh: ok, powershell: ps('ps-state-local-routed.json')}
      const noRoute = {raw: fixtureBytes('win32/incident/route-print-4-no-default-zh-gbk.txt')}
      const route = {raw: fixtureBytes('win32/incident/route-print-4-default-zh-gbk.txt')}
      const routes = [noRoute, noRoute, route]
      const inner = withPolls(routed, [ifaces('netsh-interface-show-zh-gbk.txt')])
      const exec = Object.assign(
        async (file: string, args: string[], options?: ExecOptions) => {
          if (toolName(file) !== 'route') return inner(file, args, options)
          inner.calls.push([file, ...args])
          return fakeExec({route: (routes.length > 1 ? routes.shift() : routes[0]) as FakeAnswer})(file, args, options)
        },
        {calls: inner.calls, inputs: inner.inputs},
      )
      const {iso} = isolator(routed, exec)
      const saved = await iso.snapshot()
      expect(saved.windows_default_route).to.equal(true)
      exec.calls.length = 0
      expect(await iso.verifyLocal?.(saved, 'windows-firewall')).to.deep.equal({adapters: ['以太网'], state: 'ready'})
      expect(exec.calls.filter((c) => toolName(c[0] ?? '') === 'route').map((c) => c.slice(1).join(' '))).to.deep.equal(['print -4 0.0.0.0', 'print -4 0.0.0.0', 'print -4 0.0.0.0'])
      // A route that never comes back within the bound leaves the cut not proven, never "blocked".
      const never = Object.assign(
        async (file: string, args: string[], options?: ExecOptions) => (toolName(file) === 'route' ? fakeExec({route: noRoute})(file, args, options) : inner(file, args, options)),
        {calls: inner.calls, inputs: inner.inputs},
      )
      expect((await isolator(routed, never).iso.verifyLocal?.(saved, 'windows-firewall'))?.state).to.equal('not-ready')
    })

    it('an adapter that never comes back makes the cut not proven, within the bound', async () => {
      const exec = withPolls(local, [ifaces('netsh-interface-show-ethernet-disconnected-zh-gbk.txt')])
      const {iso} = isolator(local, exec)
      const saved = await iso.snapshot()
      const started = Date.now()
      expect(await iso.verifyLocal?.(saved, 'windows-firewall')).to.deep.equal({adapters: ['以太网'], state: 'not-ready'})
      expect(Date.now() - started).to.be.within(140, 2000)
    })

    it('adapters disabled: held while they stay off, reopened when one is connected again, unproven when unreadable', async () => {
      const gpo = {netsh: ok, powershell: ps('ps-state-gpo.json')}
      const held = isolator(gpo, withPolls(gpo, [ifaces('netsh-interface-show-all-disabled-zh-gbk.txt')]))
      const saved = await held.iso.snapshot()
      expect(await held.iso.verifyLocal?.(saved, 'adapters-disabled')).to.deep.equal({adapters: ['以太网', 'WLAN'], state: 'held'})
      const reopened = isolator(gpo, withPolls(gpo, [ifaces('netsh-interface-show-zh-gbk.txt')]))
      // Enabled again counts, connected or not: an enabled Wi-Fi adapter joins a known network by itself.
      expect(await reopened.iso.verifyLocal?.(saved, 'adapters-disabled')).to.deep.equal({adapters: ['以太网', 'WLAN'], state: 'reopened'})
      const unreadable = isolator(gpo, withPolls(gpo, [{code: 1, stdout: ''}]))
      expect((await unreadable.iso.verifyLocal?.(saved, 'adapters-disabled'))?.state).to.equal('not-ready')
    })
  })

  it('is isolated when its block rule exists, its adapters marker is there, or every profile blocks both ways', async () => {
    const none = {code: 1, raw: fixtureBytes('win32/incident/netsh-show-rule-none-en.txt')}
    expect(await isolator({[SHOW_RULE]: {raw: fixtureBytes('win32/incident/netsh-show-rule-block-out-en.txt')}}).iso.isIsolated()).to.equal(true)
    expect(await isolator({[SHOW]: {raw: fixtureBytes('win32/incident/netsh-show-allprofiles-isolated-zh-gbk.txt')}, [SHOW_RULE]: none}).iso.isIsolated()).to.equal(true)
    expect(await isolator({[SHOW]: {raw: fixtureBytes('win32/incident/netsh-show-allprofiles-en.txt')}, [SHOW_RULE]: none}).iso.isIsolated()).to.equal(false)
    // PowerShell's reading wins over netsh's words when it is there.
    expect(await isolator({[SHOW_RULE]: none, powershell: {stdout: psStdout(...((psFixture('incident/ps-state-local.json')[0] as {profiles: unknown[]}).profiles))}}).iso.isIsolated()).to.equal(false)
    writeFileSync(join(dir, ADAPTERS_MARKER), '["以太网"]\n')
    expect(await isolator({[SHOW_RULE]: none}).iso.isIsolated()).to.equal(true)
  })
})
