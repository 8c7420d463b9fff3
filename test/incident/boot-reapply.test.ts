// `incident reapply` off Linux and at its edges: Windows on recorded netsh output (the exact
// commands it would run, and none when the cut still holds), nothing at all without a journal,
// refusals, and a failure that is recorded in the journal. The Linux boot step itself runs for real
// in test/commands/incident/reapply.linux-e2e.test.ts.
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {reapplyIsolation} from '../../src/incident/boot-reapply.js'
import {readJournal, writeJournal} from '../../src/incident/journal.js'
import type {Journal} from '../../src/incident/types.js'
import {toolName} from '../../src/os/tools.js'
import {psFixture, psStdout} from '../facts/win32/ps-fixtures.js'
import {type FakeAnswer, fakeExec, fixtureBytes} from '../helpers/fake-exec.js'
import {refusal} from '../helpers/refusal.js'
import {isRoot, requirePart} from '../helpers/require-part.js'
import {sampleJournal} from '../helpers/sample-journal.js'
import {aclAnswer, askedPaths, inheritedFromProgramData, lockedDown} from '../helpers/folder-acls.js'

const ELEVATED = {raw: fixtureBytes('win32/os/whoami-groups-elevated-zh.gbk.bin')}
const RULES = {
  'netsh advfirewall firewall show rule name=nm-guard block in': {raw: fixtureBytes('win32/incident/netsh-show-rule-block-out-en.txt')},
  'netsh advfirewall firewall show rule name=nm-guard block out': {raw: fixtureBytes('win32/incident/netsh-show-rule-block-out-en.txt')},
}
const recordedProfiles = (psFixture('incident/ps-state-local.json')[0] as {profiles: Record<string, unknown>[]}).profiles
const blockedProfiles = recordedProfiles.map((p) => ({...p, DefaultOutboundAction: 4}))

/** A Windows journal as the firewall (or adapters) cut leaves it, with the exported original policy on disk. */
async function windowsIncident(method: Journal['method']): Promise<{root: string; journal: Journal}> {
  const root = mkdtempSync(join(tmpdir(), 'nmg-reapply-'))
  const policy = join(root, 'incident', 'firewall-before-20261127T080000500Z.wfw')
  const journal = sampleJournal(root, {
    method,
    platform: 'win32',
    saved: {
      ip6tables_save: null,
      iptables_save: null,
      links: [],
      nft_ruleset: null,
      platform: 'win32',
      routes: [],
      windows_adapters: ['以太网'],
      windows_disable: ['以太网', 'WLAN'],
      windows_firewall: {adapters_source: 'powershell', error: null, gpo_managed: method === 'adapters-disabled', gpo_reasons: [], part_of_domain: false, source: 'powershell'},
      windows_policy_file: policy,
    },
  })
  await writeJournal(journal, root)
  writeFileSync(policy, 'the policy exported before the first cut')
  return {journal, root}
}

/** netsh answering every change with success, and `answers` for what the check reads. */
const windows = (answers: Record<string, FakeAnswer>) => fakeExec({netsh: {stdout: 'Ok.\r\n'}, whoami: ELEVATED, ...answers})
const netshChanges = (calls: string[][]): string[] => calls.filter(([file, ...args]) => toolName(file ?? '') === 'netsh' && !args.includes('show')).map(([, ...args]) => args.join(' '))

describe('incident reapply (the boot step) on Windows and at its edges', () => {
  it('does nothing, runs nothing, without an open incident', async () => {
    const exec = fakeExec({})
    const result = await reapplyIsolation({exec, lang: 'en', platform: 'win32', root: mkdtempSync(join(tmpdir(), 'nmg-reapply-'))})
    expect(result).to.deep.equal({action: 'none', hold: null, incident_id: null, method: null, warnings: []})
    expect(exec.calls).to.deep.equal([])
  })

  it('Windows firewall cut intact: changes nothing, writes nothing', async () => {
    const {journal, root} = await windowsIncident('windows-firewall')
    const exec = windows({...RULES, powershell: {stdout: psStdout(...blockedProfiles)}})
    const result = await reapplyIsolation({exec, lang: 'en', platform: 'win32', root})
    expect(result.action).to.equal('in-effect')
    expect(netshChanges(exec.calls)).to.deep.equal([])
    expect(await readJournal(root)).to.deep.equal(journal)
  })

  it('Windows policy put back to allow outbound: blocks again with the same plan, never exports the changed policy over the original', async () => {
    const {journal, root} = await windowsIncident('windows-firewall')
    const exec = windows({...RULES, powershell: {stdout: psStdout(...recordedProfiles)}})
    const result = await reapplyIsolation({exec, lang: 'en', now: () => new Date('2026-11-28T01:00:00Z'), platform: 'win32', root})
    expect(result).to.include({action: 'reapplied', method: 'windows-firewall'})
    expect(result.hold?.state).to.equal('changed')
    expect(netshChanges(exec.calls)).to.deep.equal([
      'advfirewall firewall delete rule name=nm-guard block in',
      'advfirewall firewall delete rule name=nm-guard block out',
      'advfirewall firewall delete rule name=nm-guard collector',
      'advfirewall set allprofiles state on',
      'advfirewall set allprofiles firewallpolicy blockinbound,blockoutbound',
      'advfirewall firewall add rule name=nm-guard block in dir=in action=block profile=any remoteip=any',
      'advfirewall firewall add rule name=nm-guard block out dir=out action=block profile=any remoteip=any',
      'interface set interface name=以太网 admin=disabled',
      'interface set interface name=以太网 admin=enabled',
    ])
    const after = await readJournal(root)
    expect(after?.saved).to.deep.equal(journal.saved)
    expect(after?.timeline.at(-1)).to.deep.equal({at: '2026-11-28T01:00:00.000Z', event: 'incident.timeline.reapplied', params: {method: 'windows-firewall'}})
  })

  it('Windows adapters switched back on: switches exactly the journalled ones off again', async () => {
    const {root} = await windowsIncident('adapters-disabled')
    const exec = windows({'netsh interface show interface': {raw: fixtureBytes('win32/incident/netsh-interface-show-zh-gbk.txt')}})
    const result = await reapplyIsolation({exec, lang: 'en', platform: 'win32', root})
    expect(result).to.include({action: 'reapplied', method: 'adapters-disabled'})
    expect(netshChanges(exec.calls)).to.deep.equal(['interface set interface name=以太网 admin=disabled', 'interface set interface name=WLAN admin=disabled'])
  })

  it('refuses on macOS (pf does not keep its enable reference across a restart) and for another platform\'s journal', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-reapply-'))
    await writeJournal(sampleJournal(root, {method: 'pf', platform: 'darwin'}), root)
    expect((await refusal(reapplyIsolation({exec: fakeExec({}), lang: 'en', platform: 'darwin', root}))).key).to.equal('incident.reapplyUnsupported')
    expect((await refusal(reapplyIsolation({exec: fakeExec({}), lang: 'en', platform: 'linux', root}))).key).to.equal('incident.otherPlatform')
  })

  it('refuses without administrator rights before changing anything', async () => {
    const {root} = await windowsIncident('windows-firewall')
    const exec = windows({whoami: {raw: fixtureBytes('win32/os/whoami-groups-filtered-zh.csv')}})
    expect((await refusal(reapplyIsolation({exec, lang: 'en', platform: 'win32', root}))).key).to.equal('incident.needAdmin')
    expect(netshChanges(exec.calls)).to.deep.equal([])
  })

  it('a state folder Users may create entries in (#11 2.1): the journal is neither trusted nor written, and the PC is cut off in full', async () => {
    const {journal, root} = await windowsIncident('adapters-disabled')
    const inner = windows({'netsh interface show interface': {raw: fixtureBytes('win32/incident/netsh-interface-show-zh-gbk.txt')}})
    const exec = Object.assign(
      (async (file, args, options) => {
        const script = String(options?.input ?? '')
        if (toolName(file) !== 'powershell' || !askedPaths(script)) return inner(file, args, options)
        inner.calls.push([file, ...args])
        const stdout = aclAnswer(script, (path) => (path === root ? inheritedFromProgramData(root) : lockedDown(path))) as string
        return {code: 0, raw: Buffer.from(stdout), stderr: '', stdout}
      }) as typeof inner,
      {calls: inner.calls, inputs: inner.inputs},
    )
    // Thrown from a module reapply loads lazily: under mocha's require another copy of UserError, so not `refusal`.
    const error = await reapplyIsolation({exec, lang: 'en', platform: 'win32', root}).then(
      () => null,
      (error: Error & {key?: string}) => error,
    )
    expect(error).to.include({key: 'incident.reapplyUntrusted', name: 'UserError'})
    // The adapters the cut takes are disabled again, whatever the journal's plan said.
    expect(exec.calls.some(([file, ...args]) => toolName(file ?? '') === 'netsh' && args.includes('admin=disabled'))).to.equal(true)
    expect(await readJournal(root)).to.deep.equal(journal)
  })

  it('Linux with no way left to cut: exit 1 with what to do by hand, and the failure in the timeline', async function () {
    requirePart(this, isRoot(), 'root (the Linux path checks for it)')
    const root = mkdtempSync(join(tmpdir(), 'nmg-reapply-'))
    await writeJournal(sampleJournal(root, {saved: {ip6tables_save: null, iptables_save: null, links: [{name: 'eth0', up: true}], nft_ruleset: '', platform: 'linux', routes: []}}), root)
    // No nft, no iptables, no ip: every method fails as on a PC missing them.
    const failure = await refusal(reapplyIsolation({exec: fakeExec({}), lang: 'en', platform: 'linux', root}))
    expect(failure.key).to.equal('incident.reapplyFailed')
    const journal = await readJournal(root)
    expect(journal?.timeline.at(-1)?.event).to.equal('incident.timeline.reapplyFailed')
  })
})
