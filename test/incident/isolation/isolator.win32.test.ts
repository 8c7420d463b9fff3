import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {IsolationFailed} from '../../../src/incident/isolation/isolator.js'
import {win32Isolator} from '../../../src/incident/isolation/isolator.win32.js'
import {windowsPlan} from '../../../src/incident/isolation/windows-firewall.js'
import type {Journal, SavedNetworkState} from '../../../src/incident/types.js'
import {type FakeAnswer, fakeExec, fixtureBytes} from '../../helpers/fake-exec.js'

const SHOW = 'netsh advfirewall show allprofiles'
const SHOW_RULE = 'netsh advfirewall firewall show rule name=nm-guard block out'
const ok = {raw: fixtureBytes('win32/incident/netsh-export-ok-zh-gbk.txt')}

describe('Windows isolator (netsh, recorded output)', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'nmg-win-'))
  })
  afterEach(() => rmSync(dir, {force: true, recursive: true}))

  const isolator = (answers: Record<string, FakeAnswer>) => {
    const exec = fakeExec(answers)
    return {exec, iso: win32Isolator({exec, journalDir: dir, now: () => new Date('2026-11-27T08:00:00Z')})}
  }
  const journal = (saved: SavedNetworkState): Journal => ({saved} as Journal)

  it('snapshots each profile (Chinese Windows, GBK) and names the policy export', async () => {
    const {iso} = isolator({[SHOW]: {raw: fixtureBytes('win32/incident/netsh-show-allprofiles-zh-gbk.txt')}})
    const saved = await iso.snapshot()
    expect(saved.windows_policy_file).to.equal(join(dir, 'firewall-before-20261127T080000000Z.wfw'))
    expect(saved.windows_profiles?.map((p) => `${p.profile}:${p.enabled}:${p.policy}`)).to.deep.equal([
      'domain:true:BlockInbound,AllowOutbound',
      'private:false:BlockInbound,AllowOutbound',
      'public:true:BlockInboundAlways,AllowOutbound',
    ])
  })

  it('isolates by running the plan in order, and a re-run neither re-exports nor stacks rules', async () => {
    const {exec, iso} = isolator({[SHOW]: {raw: fixtureBytes('win32/incident/netsh-show-allprofiles-en.txt')}, netsh: ok})
    const saved = await iso.snapshot()
    expect(await iso.isolate(saved, null)).to.deep.equal({method: 'windows-firewall', warnings: []})
    const planned = windowsPlan(saved, null).commands.map((c) => [c.file, ...c.args])
    // After the two read-only snapshot calls (profiles, adapters).
    expect(exec.calls.slice(2)).to.deep.equal(planned)

    writeFileSync(saved.windows_policy_file as string, 'exported policy')
    exec.calls.length = 0
    await iso.isolate(saved, null)
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

  it('fails with netsh’s own words (decoded from GBK) when a step is refused', async () => {
    const {iso} = isolator({[SHOW]: {raw: fixtureBytes('win32/incident/netsh-show-allprofiles-en.txt')}, netsh: {code: 1, raw: fixtureBytes('win32/incident/netsh-access-denied-zh-gbk.txt')}})
    const saved = await iso.snapshot()
    const error = await iso.isolate(saved, null).then(() => null, (e: unknown) => e)
    expect(error).to.be.instanceOf(IsolationFailed)
    expect((error as Error).message).to.include('请求的操作需要提升(作为管理员运行)')
  })

  it('restores by importing the export and deleting its rules; after a crash before the export, only the deletes', async () => {
    const {exec, iso} = isolator({[SHOW]: {raw: fixtureBytes('win32/incident/netsh-show-allprofiles-en.txt')}, netsh: {code: 1, stdout: 'No rules match the specified criteria.'}, [`netsh advfirewall import ${join(dir, 'firewall-before-20261127T080000000Z.wfw')}`]: ok})
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

  it('bounces each connected adapter after the block, warns (not fails) on a refused bounce, and re-enables them on restore', async () => {
    const IFACES = 'netsh interface show interface'
    const down = 'netsh interface set interface name=以太网 admin=disabled'
    const {exec, iso} = isolator({[IFACES]: {raw: fixtureBytes('win32/incident/netsh-interface-show-zh-gbk.txt')}, [SHOW]: {raw: fixtureBytes('win32/incident/netsh-show-allprofiles-en.txt')}, [down]: {code: 1, raw: fixtureBytes('win32/incident/netsh-access-denied-zh-gbk.txt')}, netsh: ok})
    const saved = await iso.snapshot()
    expect(saved.windows_adapters).to.deep.equal(['以太网'])
    const isolated = await iso.isolate(saved, null)
    expect(isolated.method).to.equal('windows-firewall')
    expect(isolated.warnings).to.have.length(1)
    expect(isolated.warnings[0]).to.include('以太网').and.to.include('请求的操作需要提升')
    expect(exec.calls.slice(-2).map((c) => c.at(-1))).to.deep.equal(['admin=disabled', 'admin=enabled'])
    exec.calls.length = 0
    await iso.restore(journal(saved))
    expect(exec.calls.at(-1)).to.deep.equal(['netsh', 'interface', 'set', 'interface', 'name=以太网', 'admin=enabled'])
  })

  it('is isolated when its block rule exists, or when every profile blocks both ways', async () => {
    const none = {code: 1, raw: fixtureBytes('win32/incident/netsh-show-rule-none-en.txt')}
    expect(await isolator({[SHOW_RULE]: {raw: fixtureBytes('win32/incident/netsh-show-rule-block-out-en.txt')}}).iso.isIsolated()).to.equal(true)
    expect(await isolator({[SHOW]: {raw: fixtureBytes('win32/incident/netsh-show-allprofiles-isolated-zh-gbk.txt')}, [SHOW_RULE]: none}).iso.isIsolated()).to.equal(true)
    expect(await isolator({[SHOW]: {raw: fixtureBytes('win32/incident/netsh-show-allprofiles-en.txt')}, [SHOW_RULE]: none}).iso.isIsolated()).to.equal(false)
  })
})
