// The disconnect and reconnect flows on Windows' recorded netsh output (this machine can only run
// Linux for real; the Linux flow is tested end to end in test/commands/disconnect.linux-e2e.test.ts).
import {existsSync, mkdtempSync, readFileSync, symlinkSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import type {Exec} from '../../src/facts/types.js'
import {disconnect, disconnectPlan} from '../../src/incident/disconnect.js'
import {journalPath, readJournal} from '../../src/incident/journal.js'
import {reconnect} from '../../src/incident/reconnect.js'
import {toolName} from '../../src/os/tools.js'
import {renderPlan} from '../../src/incident/render-plan.js'
import {type FakeAnswer, fakeExec, fixtureBytes} from '../helpers/fake-exec.js'
import {refusal} from '../helpers/refusal.js'

const profiles = fixtureBytes('win32/incident/netsh-show-allprofiles-en.txt')

/** netsh answering as an elevated Windows would; every call notes whether the journal existed then. */
function windows(root: string, extra: Record<string, FakeAnswer> = {}): Exec & {calls: string[][]; journalAt: boolean[]} {
  const inner = fakeExec({whoami: {raw: fixtureBytes('win32/os/whoami-groups-elevated-zh.gbk.bin')}, netsh: {raw: profiles}, ...extra})
  const journalAt: boolean[] = []
  const run = (async (file, args, options) => {
    journalAt.push(existsSync(journalPath(root)))
    return inner(file, args, options)
  }) as Exec & {calls: string[][]; journalAt: boolean[]}
  run.calls = inner.calls
  run.journalAt = journalAt
  return run
}

const options = (root: string, exec: Exec) => ({evidenceDir: undefined, exec, hostname: 'GC-XMT-01', keepCollector: false, lang: 'zh-CN' as const, platform: 'win32' as const, reason: '异常登录', root})

describe('disconnect flow (Windows, recorded netsh)', () => {
  it('journals before the first change, cuts with netsh, keeps failed evidence items, drafts the report', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-flow-'))
    const exec = windows(root)
    const result = await disconnect(options(root, exec))
    const firstChange = exec.calls.findIndex(([file, ...args]) => toolName(file ?? '') === 'netsh' && args[0] === 'advfirewall' && args[1] !== 'show')
    expect(firstChange).to.be.greaterThan(0)
    expect(exec.calls[firstChange]?.slice(1, 3)).to.deep.equal(['advfirewall', 'export'])
    expect(exec.journalAt[firstChange]).to.equal(true)
    expect(result.method).to.equal('windows-firewall')
    expect(result.verification).to.deep.equal({collector: 'none', gateway: 'none'})
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
    const exec = windows(root, {whoami: {code: 1}})
    const {plan} = await disconnectPlan(options(root, exec))
    expect(renderPlan(plan, 'en')).to.contain('netsh advfirewall set allprofiles firewallpolicy blockinbound,blockoutbound')
    expect(existsSync(journalPath(root))).to.equal(false)
  })
})
