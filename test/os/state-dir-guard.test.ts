// #11 2.1 on Windows for every elevated writer of the state folder: the audit (policy cache, fact
// cache, last report), reconnect (queue, archived journal) check its ACLs once, before the first
// write. Windows' answers are built by hand (test/helpers/folder-acls.ts): PowerShell does not run
// under Wine. The folders are real (root's, 0700, so this Linux host's own owner checks pass and the
// ACLs decide). The host platform is given explicitly: a win32 snapshot audited on Linux checks nothing.
import {existsSync, mkdtempSync, readdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {lockDownCommands} from '../../src/agent/install/lock-down.win32.js'
import {EXIT} from '../../src/cli/exit-codes.js'
import type {Exec} from '../../src/facts/types.js'
import {readJournal, writeJournal} from '../../src/incident/journal.js'
import {reconnect} from '../../src/incident/reconnect.js'
import {guardStateDir} from '../../src/os/state-dir-guard.js'
import {toolName, toolPath} from '../../src/os/tools.js'
import {runAudit} from '../../src/report/run-audit.js'
import {compliantFacts} from '../helpers/facts-builder.js'
import {type FakeAnswer, fakeExec, fixtureBytes} from '../helpers/fake-exec.js'
import {aclAnswer, allow, askedPaths, folder, type FolderJson, inheritedFromProgramData, lockedDown, RIGHTS, SID, stockProgramData} from '../helpers/folder-acls.js'
import {refusal} from '../helpers/refusal.js'
import {sampleJournal} from '../helpers/sample-journal.js'

type Acl = (path: string) => FolderJson | undefined

const ELEVATED: FakeAnswer = {raw: fixtureBytes('win32/os/whoami-groups-elevated-zh.gbk.bin')}
const FILTERED: FakeAnswer = {raw: fixtureBytes('win32/os/whoami-groups-filtered-zh.csv')}
const BLOCKED: FakeAnswer = {code: 1, stderr: '此程序被组策略阻止。有关详细信息，请与系统管理员联系。', stdout: ''}

interface Pc extends Exec {
  /** Every program started, as spawned. */
  calls: string[][]
  /** The folders each ACL reading asked about first. */
  readings: string[]
}

/**
 * A zh-CN Windows: whoami as given (elevated by default); powershell.exe answers the folder ACL
 * script with `acl(folder)` for each folder asked about, or `ps` when given; icacls succeeds.
 */
function windowsPc(acl: Acl, options: {ps?: FakeAnswer; whoami?: FakeAnswer} = {}): Pc {
  const inner = fakeExec({icacls: {stdout: ''}, powershell: options.ps ?? {code: 1, stdout: ''}, whoami: options.whoami ?? ELEVATED})
  const readings: string[] = []
  const run = (async (file, args, opts) => {
    const script = String(opts?.input ?? '')
    const asked = toolName(file) === 'powershell' ? askedPaths(script) : null
    if (asked) readings.push(asked[0] as string)
    if (asked && !options.ps) {
      inner.calls.push([file, ...args])
      const stdout = aclAnswer(script, acl) as string
      return {code: 0, raw: Buffer.from(stdout), stderr: '', stdout}
    }
    return inner(file, args, opts)
  }) as Pc
  run.calls = inner.calls
  run.readings = readings
  return run
}

const lockedExcept =
  (special: Record<string, FolderJson>): Acl =>
  (path) =>
    special[path] ?? lockedDown(path)

const tools = (pc: Pc): string[] => pc.calls.map(([file]) => toolName(file ?? ''))

const snapshot = (): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'nmg-guard-facts-')), 'snapshot.json')
  writeFileSync(file, JSON.stringify(compliantFacts('win32')))
  return file
}

/** `audit --facts <win32 snapshot> --format json` with the state folder `root`, on the host `exec` and `platform` stand for. */
const audit = (root: string, exec: Exec, platform: 'linux' | 'win32' = 'win32') =>
  runAudit({colour: false, facts: snapshot(), failOn: 'low', format: 'json', host: {exec, platform}, interactive: false, lang: 'zh-CN', stateDir: root})

describe('the state folder of an elevated nm-guard on Windows, before the first write (#11 2.1)', () => {
  it('audit: a state folder another account owns or may create entries in is refused, exit 1, nothing written into it', async () => {
    for (const unsafe of [(root: string) => inheritedFromProgramData(root, SID.user), (root: string) => inheritedFromProgramData(root)]) {
      const root = mkdtempSync(join(tmpdir(), 'nmg-guard-state-'))
      const exec = windowsPc(lockedExcept({[root]: unsafe(root)}))
      const error = await refusal(audit(root, exec))
      expect(error.key).to.equal('os.unsafeStateFolder')
      expect(error.exitCode).to.equal(EXIT.error)
      expect(error.detail?.key).to.be.oneOf(['os.unsafeFolder.aclOwner', 'os.unsafeFolder.aclWritable'])
      expect(readdirSync(root)).to.deep.equal([])
      expect(exec.readings).to.deep.equal([root])
    }
  })

  it('audit: a locked-down state folder passes, read once, and the audit writes its cache there', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-guard-state-'))
    const exec = windowsPc(lockedExcept({}))
    const outcome = await audit(root, exec)
    expect(outcome.report.summary.fail).to.equal(0)
    expect(outcome.stateDirWarning).to.equal(undefined)
    expect(readdirSync(root)).to.include('cache')
    expect(exec.calls.map(([file]) => file)).to.deep.equal([toolPath('whoami', 'win32'), toolPath('powershell', 'win32')])
    expect(exec.readings).to.deep.equal([root])
  })

  it('audit: no state folder yet: made and locked down as provisioning does before the cache goes in', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'nmg-guard-programdata-'))
    const root = join(parent, 'nm-guard')
    let locked = false
    // Until lock-down runs, the new folder has what C:\ProgramData passes on (users may create in it).
    const inner = windowsPc((path) => (path === parent ? stockProgramData(parent) : path === root && !locked ? inheritedFromProgramData(root) : lockedDown(path)))
    const exec = Object.assign(
      (async (file, args, opts) => {
        if (toolName(file) === 'icacls' && args[0] === root && args[1] === '/inheritance:r') {
          expect(readdirSync(root)).to.deep.equal([])
          locked = true
        }
        return inner(file, args, opts)
      }) as Exec,
      {calls: inner.calls, readings: inner.readings},
    )
    await audit(root, exec)
    expect(inner.calls.filter(([file]) => toolName(file ?? '') === 'icacls')).to.deep.equal(lockDownCommands(root).map(([, ...args]) => [toolPath('icacls', 'win32'), ...args]))
    expect(inner.readings).to.deep.equal([parent, root])
    expect(readdirSync(root)).to.include('cache')
  })

  it('audit: PowerShell blocked by policy: the audit goes on, and says the folder could not be checked', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-guard-state-'))
    const exec = windowsPc(lockedExcept({}), {ps: BLOCKED})
    const outcome = await audit(root, exec)
    expect(outcome.report.summary.fail).to.equal(0)
    expect(outcome.stateDirWarning).to.equal(
      `未能检查 nm-guard 数据文件夹 ${root} 的权限（PowerShell exited 1: 此程序被组策略阻止。有关详细信息，请与系统管理员联系。）；仍照常写入。请以管理员身份运行 nm-guard provision（它会把这个文件夹收归管理员）`,
    )
    expect(readdirSync(root)).to.include('cache')
  })

  it('audit: not elevated, nothing is read (whoami only); on a Linux host, with a Windows snapshot, nothing is run at all', async () => {
    const unsafe = (root: string) => lockedExcept({[root]: folder(root, SID.user, [allow(SID.users, RIGHTS.modify)])})
    const rootA = mkdtempSync(join(tmpdir(), 'nmg-guard-state-'))
    const user = windowsPc(unsafe(rootA), {whoami: FILTERED})
    await audit(rootA, user)
    expect(tools(user)).to.deep.equal(['whoami'])
    expect(readdirSync(rootA)).to.include('cache')

    const rootB = mkdtempSync(join(tmpdir(), 'nmg-guard-state-'))
    const linux = windowsPc(unsafe(rootB))
    await audit(rootB, linux, 'linux')
    expect(linux.calls).to.deep.equal([])
    expect(readdirSync(rootB)).to.include('cache')
  })

  it('once per process (per exec): the audit and the report flush after it read the folder once, and warn once', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-guard-state-'))
    const exec = windowsPc(lockedExcept({}), {ps: BLOCKED})
    const first = await guardStateDir({dir: root, exec, lang: 'en', platform: 'win32'})
    expect(first).to.contain(`The permissions of nm-guard's data folder ${root} could not be checked`)
    expect(await guardStateDir({dir: `${root}/`, exec, lang: 'en', platform: 'win32'})).to.equal(null)
    expect(tools(exec)).to.deep.equal(['whoami', 'powershell'])
  })

  it('reconnect: a journal in a state folder Users may change is not acted on: nothing restored, archived or queued', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-guard-state-'))
    await writeJournal(sampleJournal(root, {method: 'windows-firewall', platform: 'win32', saved: {ip6tables_save: null, iptables_save: null, links: [], nft_ruleset: null, platform: 'win32', routes: []}}), root)
    const exec = windowsPc(lockedExcept({[root]: folder(root, SID.administrators, [...lockedDown(root).Rules, allow(SID.users, RIGHTS.modify)])}))
    const error = await refusal(reconnect({exec, lang: 'zh-CN', platform: 'win32', root}))
    expect(error.key).to.equal('os.unsafeStateFolder')
    expect(tools(exec)).to.deep.equal(['whoami', 'powershell'])
    expect(await readJournal(root)).to.not.equal(null)
    expect(readdirSync(root)).to.deep.equal(['incident'])
    expect(existsSync(join(root, 'incident', 'history'))).to.equal(false)
  })
})
