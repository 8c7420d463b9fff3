// `incident status` with an incident open: on Windows, the journalled cut CHECKED against what the
// PC shows now (recorded netsh output and PowerShell's ActiveStore reading), never assumed to have
// survived a restart; on Linux, whether the boot unit that re-applies it is enabled (#11 2.5).
import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {adaptersHold, firewallHold} from '../../src/incident/cut-hold.js'
import {writeJournal} from '../../src/incident/journal.js'
import {renderStatus} from '../../src/incident/render-status.js'
import {incidentStatus} from '../../src/incident/status.js'
import type {Journal} from '../../src/incident/types.js'
import {psFixture, psStdout} from '../facts/win32/ps-fixtures.js'
import {type FakeAnswer, fakeExec, fixtureBytes} from '../helpers/fake-exec.js'
import {sampleJournal} from '../helpers/sample-journal.js'

const RULE_IN = 'netsh advfirewall firewall show rule name=nm-guard block in'
const RULE_OUT = 'netsh advfirewall firewall show rule name=nm-guard block out'
const blockOut = fixtureBytes('win32/incident/netsh-show-rule-block-out-en.txt')
const RULE_SHOWN = {
  [RULE_IN]: {raw: Buffer.from(blockOut.toString('utf8').replace('nm-guard block out', 'nm-guard block in').replace(/(Direction:\s+)Out/, '$1In'))},
  [RULE_OUT]: {raw: blockOut},
}
const NO_RULE: FakeAnswer = {code: 1, raw: fixtureBytes('win32/incident/netsh-show-rule-none-en.txt')}

/** The recorded ActiveStore profiles of a Windows 11 PC (inbound blocked, outbound allowed), and as the cut leaves them. */
const recordedProfiles = (psFixture('incident/ps-state-local.json')[0] as {profiles: Record<string, unknown>[]}).profiles
const blockedProfiles = recordedProfiles.map((p) => ({...p, DefaultOutboundAction: 4}))

const windowsJournal = (root: string, method: Journal['method']): Journal =>
  sampleJournal(root, {
    method,
    platform: 'win32',
    saved: {ip6tables_save: null, iptables_save: null, links: [], nft_ruleset: null, platform: 'win32', routes: [], windows_adapters: ['以太网'], windows_disable: ['以太网', 'WLAN']},
  })

async function windowsStatus(method: Journal['method'], answers: Record<string, FakeAnswer>) {
  const root = mkdtempSync(join(tmpdir(), 'nmg-hold-'))
  await writeJournal(windowsJournal(root, method), root)
  const status = await incidentStatus({exec: fakeExec(answers), platform: 'win32', root})
  return {en: renderStatus(status, 'en', {timeZone: 'UTC'}), status, zh: renderStatus(status, 'zh-CN', {timeZone: 'UTC'})}
}

describe('incident status: does the cut still hold?', () => {
  it('Windows firewall cut intact after a restart (PowerShell): isolated, and checked', async () => {
    const {en, status} = await windowsStatus('windows-firewall', {...RULE_SHOWN, powershell: {stdout: psStdout(...blockedProfiles)}})
    expect(status.hold).to.deep.equal({changes: [], state: 'held', unread: []})
    expect(en.split('\n').slice(0, 2)).to.deep.equal([
      'ISOLATED since 2026-11-27 08:00 (UTC) (windows-firewall)',
      "Checked now: the firewall is on and blocks inbound and outbound on every profile, and nm-guard's block rules are in place",
    ])
  })

  it('Windows firewall policy put back to allow outbound (by hand or a Group Policy refresh at boot): our rule is still there, yet status says the cut no longer holds', async () => {
    const {en, status, zh} = await windowsStatus('windows-firewall', {...RULE_SHOWN, powershell: {stdout: psStdout(...recordedProfiles)}})
    // The isolator alone sees its rule and calls the PC isolated; the check against the journal does not agree.
    expect(status.isolated).to.equal(true)
    expect(status.hold?.state).to.equal('changed')
    expect(status.hold?.changes).to.deep.equal(['domain', 'private', 'public'].map((profile) => ({kind: 'profile-policy', policy: 'BlockInbound,AllowOutbound', profile})))
    expect(en.split('\n')[0]).to.equal(
      'Incident open since 2026-11-27 08:00 (UTC) (windows-firewall), but the cut NO LONGER HOLDS: firewall profile domain now BlockInbound,AllowOutbound; firewall profile private now BlockInbound,AllowOutbound; firewall profile public now BlockInbound,AllowOutbound. Run `nm-guard incident reapply` to cut again',
    )
    expect(zh.split('\n')[0]).to.contain('断网已被部分撤销').and.to.contain('nm-guard incident reapply')
  })

  it('Windows without PowerShell (netsh only): the recorded Chinese isolated profiles hold; the normal ones and a deleted rule do not', async () => {
    const isolated = await windowsStatus('windows-firewall', {...RULE_SHOWN, 'netsh advfirewall show allprofiles': {raw: fixtureBytes('win32/incident/netsh-show-allprofiles-isolated-zh-gbk.txt')}})
    expect(isolated.status.hold?.state).to.equal('held')
    const normal = await windowsStatus('windows-firewall', {[RULE_IN]: NO_RULE, [RULE_OUT]: NO_RULE, 'netsh advfirewall show allprofiles': {raw: fixtureBytes('win32/incident/netsh-show-allprofiles-en.txt')}})
    expect(normal.status.isolated).to.equal(false)
    expect(normal.status.hold?.changes.filter((c) => c.kind === 'rule-missing')).to.deep.equal([
      {kind: 'rule-missing', rule: 'nm-guard block in'},
      {kind: 'rule-missing', rule: 'nm-guard block out'},
    ])
    expect(normal.en).to.contain('rule "nm-guard block out" removed')
  })

  it('Windows adapters-disabled cut: still disabled holds; an adapter switched back on does not', async () => {
    const held = await windowsStatus('adapters-disabled', {'netsh interface show interface': {raw: fixtureBytes('win32/incident/netsh-interface-show-all-disabled-zh-gbk.txt')}})
    expect(held.status.hold?.state).to.equal('held')
    expect(held.en).to.contain('Checked now: every adapter the cut switched off is still disabled')
    const reopened = await windowsStatus('adapters-disabled', {'netsh interface show interface': {raw: fixtureBytes('win32/incident/netsh-interface-show-zh-gbk.txt')}})
    expect(reopened.status.hold?.changes).to.deep.equal([
      {adapter: '以太网', kind: 'adapter-enabled'},
      {adapter: 'WLAN', kind: 'adapter-enabled'},
    ])
    expect(reopened.zh.split('\n')[0]).to.contain('网卡 以太网 已被重新启用；网卡 WLAN 已被重新启用')
  })

  it('Windows state that cannot be read is said to be unknown, never held', async () => {
    const {en, status} = await windowsStatus('windows-firewall', {})
    expect(status.hold?.state).to.equal('unknown')
    expect(en).to.contain('Whether the cut still holds could not be read in full')
  })

  it('the marker the adapters cut wrote names the adapters to check', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-hold-'))
    await writeJournal(windowsJournal(root, 'adapters-disabled'), root)
    writeFileSync(join(root, 'incident', 'adapters-disabled.json'), '["WLAN"]\n')
    const status = await incidentStatus({exec: fakeExec({'netsh interface show interface': {raw: fixtureBytes('win32/incident/netsh-interface-show-zh-gbk.txt')}}), platform: 'win32', root})
    expect(status.hold?.changes).to.deep.equal([{adapter: 'WLAN', kind: 'adapter-enabled'}])
  })

  it('Linux: says whether the cut comes back after a restart (the boot unit enabled or not)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-hold-'))
    await writeJournal(sampleJournal(root), root)
    const linux = (isEnabled: FakeAnswer) => fakeExec({'iptables -w -S NM_GUARD': {code: 1}, 'ip6tables -w -S NM_GUARD': {code: 1}, 'nft list table inet nm_guard': 'table inet nm_guard {\n}\n', 'systemctl is-enabled nm-guard-isolation.service': isEnabled})
    const enabled = await incidentStatus({exec: linux({stdout: 'enabled\n'}), platform: 'linux', root})
    expect(enabled.boot_unit).to.deep.equal({enabled: true, state: 'enabled', unit: 'nm-guard-isolation.service'})
    expect(renderStatus(enabled, 'en').split('\n')[1]).to.equal('After a restart the cut is applied again before the network starts (nm-guard-isolation.service is enabled)')
    const disabled = await incidentStatus({exec: linux({code: 1, stdout: 'disabled\n'}), platform: 'linux', root})
    expect(renderStatus(disabled, 'en').split('\n')[1]).to.equal(
      'nm-guard-isolation.service is disabled: after a restart this PC would be back on the network. Enable it (systemctl enable nm-guard-isolation.service) or do not restart the PC',
    )
    expect(disabled.hold).to.equal(null)
  })

  it('judges profiles and adapters it cannot read as unknown, not as changed', () => {
    expect(firewallHold([{enabled: null, policy: 'BlockInbound,BlockOutbound', profile: 'domain'}], {r: true}).state).to.equal('unknown')
    expect(firewallHold([{enabled: false, policy: 'BlockInbound,BlockOutbound', profile: 'public'}], {r: null}).changes).to.deep.equal([{kind: 'profile-off', profile: 'public'}])
    expect(adaptersHold([{admin: null, name: '以太网', state: null, type: '专用'}], ['以太网']).state).to.equal('unknown')
    expect(adaptersHold(null, ['以太网']).state).to.equal('unknown')
  })
})
