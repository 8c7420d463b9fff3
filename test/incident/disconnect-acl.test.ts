// #11 2.1 on Windows, through the disconnect flow: an elevated nm-guard writes its journal and the
// evidence only into folders no account but Administrators, SYSTEM or TrustedInstaller can change.
// Windows' answers are recorded or built by hand (test/helpers/folder-acls.ts): PowerShell does not
// run under Wine, so the ACL reading cannot run for real on this machine. The folders themselves are
// real (root's, mode 0700, so this Linux host's own owner checks pass and the ACLs decide).
import {existsSync, mkdtempSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {expect} from 'chai'

import {lockDownCommands} from '../../src/agent/install/lock-down.win32.js'
import type {Exec} from '../../src/facts/types.js'
import {disconnect} from '../../src/incident/disconnect.js'
import {journalPath, readJournal} from '../../src/incident/journal.js'
import {toolName, toolPath} from '../../src/os/tools.js'
import {psFixture, psStdout} from '../facts/win32/ps-fixtures.js'
import {type FakeAnswer, fakeExec, fixtureBytes} from '../helpers/fake-exec.js'
import {aclAnswer, allow, askedPaths, folder, type FolderJson, inheritedFromProgramData, lockedDown, RIGHTS, SID, stockProgramData} from '../helpers/folder-acls.js'
import {refusal} from '../helpers/refusal.js'

type Acl = (path: string) => FolderJson | undefined

interface Pc extends Exec {
  calls: string[][]
  /** In order: `acl <folder>` for each ACL reading, `cut` for the firewall's first change, `icacls <folder> <switch>`. */
  events: string[]
  /** For each ACL reading and icacls run: whether the journal existed then. */
  journalAt: boolean[]
}

/**
 * An elevated zh-CN Windows whose firewall is local (the cut goes through netsh): powershell.exe
 * answers the folder ACL script with `acl(folder)` for each folder asked about, and the state
 * reading with the recorded one; `ps` replaces powershell.exe for the ACL script when given.
 */
function windowsPc(root: string, acl: Acl, ps?: FakeAnswer): Pc {
  const inner = fakeExec({
    icacls: {stdout: ''},
    netsh: {raw: fixtureBytes('win32/incident/netsh-show-allprofiles-en.txt')},
    'netsh interface show interface': {raw: fixtureBytes('win32/incident/netsh-interface-show-zh-gbk.txt')},
    whoami: {raw: fixtureBytes('win32/os/whoami-groups-elevated-zh.gbk.bin')},
  })
  const state = psStdout(...psFixture('incident/ps-state-local.json'))
  const events: string[] = []
  const journalAt: boolean[] = []
  const run = (async (file, args, options) => {
    const script = String(options?.input ?? '')
    const tool = toolName(file)
    if (tool === 'powershell' && askedPaths(script)) {
      inner.calls.push([file, ...args])
      events.push(`acl ${askedPaths(script)?.[0]}`)
      journalAt.push(existsSync(journalPath(root)))
      if (ps) return fakeExec({powershell: ps})(file, args, options)
      const stdout = aclAnswer(script, acl) as string
      return {code: 0, raw: Buffer.from(stdout), stderr: '', stdout}
    }
    if (tool === 'powershell' && script.includes('-PolicyStore RSOP')) {
      inner.calls.push([file, ...args])
      return {code: 0, raw: Buffer.from(state), stderr: '', stdout: state}
    }
    if (tool === 'icacls') {
      events.push(`icacls ${args[0]} ${args[1]}`)
      journalAt.push(existsSync(journalPath(root)))
    }
    if (tool === 'netsh' && args[0] === 'advfirewall' && args[1] !== 'show' && !events.includes('cut')) events.push('cut')
    return inner(file, args, options)
  }) as Pc
  run.calls = inner.calls
  run.events = events
  run.journalAt = journalAt
  return run
}

/** Every folder as lock-down leaves the state folder, except those given. */
const lockedExcept =
  (special: Record<string, FolderJson>): Acl =>
  (path) =>
    special[path] ?? lockedDown(path)

const options = (root: string, exec: Exec, evidenceDir?: string) => ({
  evidenceDir,
  exec,
  hostname: 'GC-XMT-01',
  keepCollector: false,
  lang: 'zh-CN' as const,
  platform: 'win32' as const,
  probeTimeoutMs: 50,
  reason: null,
  root,
  settle: {intervalMs: 5, timeoutMs: 150},
})

describe('disconnect on Windows: the folders an elevated nm-guard writes into (#11 2.1)', () => {
  it('an --evidence-dir Users may modify: cut first, the folder refused unwritten, the evidence in the default folder', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-acl-state-'))
    const evidence = mkdtempSync(join(tmpdir(), 'nmg-acl-ev-'))
    const modifiable = folder(evidence, SID.administrators, [...lockedDown(evidence).Rules, allow(SID.users, RIGHTS.modify)])
    const exec = windowsPc(root, lockedExcept({[evidence]: modifiable}))
    const result = await disconnect(options(root, exec, evidence))
    expect(result.method).to.equal('windows-firewall')
    expect(result.exit_code).to.equal(0)
    expect(result.evidence_dir.startsWith(join(root, 'incident'))).to.equal(true)
    expect(existsSync(join(result.evidence_dir, 'manifest.json'))).to.equal(true)
    expect(result.warnings).to.include(
      `取证目录 ${evidence} 不能安全地由管理员写入（账户 Users (S-1-5-32-545) 可以改动文件夹 ${evidence}（权限 WD,AD,WEA,WA,DE，可用 icacls 查看），能在里面放入链接或把文件夹换掉）；证据改为保存到 ${result.evidence_dir}`,
    )
    expect(readdirSync(evidence)).to.deep.equal([])
    // The state folder before the journal, the evidence folder after the cut (which it never holds up): one reading each.
    expect(exec.events).to.deep.equal([`acl ${root}`, 'cut', `acl ${evidence}`])
    expect(exec.journalAt).to.deep.equal([false, true])
    expect((await readJournal(root))?.timeline.map((e) => e.event)).to.include('incident.timeline.evidenceDirUnsafe')
  })

  it('a locked-down --evidence-dir is accepted and holds the evidence', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-acl-state-'))
    const evidence = mkdtempSync(join(tmpdir(), 'nmg-acl-ev-'))
    const exec = windowsPc(root, lockedExcept({}))
    const result = await disconnect(options(root, exec, evidence))
    expect(result.exit_code).to.equal(0)
    expect(result.evidence_dir).to.equal(evidence)
    expect(readdirSync(evidence)).to.include('manifest.json')
    expect(result.warnings.join('\n')).not.to.contain('取证目录')
    expect(exec.events).to.deep.equal([`acl ${root}`, 'cut', `acl ${evidence}`])
  })

  it('a new --evidence-dir inside a folder a user owns: refused before it is created', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-acl-state-'))
    const home = mkdtempSync(join(tmpdir(), 'nmg-acl-home-'))
    const evidence = join(home, '取证')
    const exec = windowsPc(root, lockedExcept({[home]: inheritedFromProgramData(home, SID.user)}))
    const result = await disconnect(options(root, exec, evidence))
    expect(result.evidence_dir.startsWith(join(root, 'incident'))).to.equal(true)
    expect(result.warnings.join('\n')).to.contain(`文件夹 ${home} 的所有者是账户 ${SID.user}，不是管理员组（Administrators）或 SYSTEM`)
    expect(existsSync(evidence)).to.equal(false)
    expect(exec.events).to.deep.equal([`acl ${root}`, 'cut', `acl ${home}`])
  })

  it('a state folder a user owns holds no journal: nothing is cut, and the message says to pull the cable and run provision', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-acl-state-'))
    const exec = windowsPc(root, lockedExcept({[root]: inheritedFromProgramData(root, SID.user)}))
    const error = await refusal(disconnect(options(root, exec)))
    expect(error.key).to.equal('incident.journalFailed')
    expect(String(error.params?.error)).to.equal(
      `nm-guard 的数据文件夹 ${root} 不安全：文件夹 ${root} 的所有者是账户 ${SID.user}，不是管理员组（Administrators）或 SYSTEM，这个账户随时可以改动它。请以管理员身份运行 nm-guard provision（它会把这个文件夹收归管理员），然后再试`,
    )
    expect(exec.events).to.deep.equal([`acl ${root}`])
    expect(existsSync(journalPath(root))).to.equal(false)
  })

  it('no state folder yet: made, locked down as provisioning does before anything is written, then checked', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'nmg-acl-programdata-'))
    const root = join(parent, 'nm-guard')
    let locked = false
    // Until lock-down runs, the new folder has what C:\ProgramData passes on (users may create in it).
    const acl: Acl = (path) => (path === parent ? stockProgramData(parent) : path === root && !locked ? inheritedFromProgramData(root) : lockedDown(path))
    const inner = windowsPc(root, acl)
    const exec = (async (file, args, opts) => {
      if (toolName(file) === 'icacls' && args[1] === '/inheritance:r' && args[0] === root) locked = true
      return inner(file, args, opts)
    }) as Exec
    const result = await disconnect(options(root, exec))
    expect(result.exit_code).to.equal(0)
    const icacls = inner.calls.filter(([file]) => toolName(file ?? '') === 'icacls')
    expect(icacls).to.deep.equal(lockDownCommands(root).map(([, ...args]) => [toolPath('icacls', 'win32'), ...args]))
    // The folder above first (as a folder above: users may create there, not swap), then the new one, locked down.
    expect(inner.events).to.deep.equal([`acl ${parent}`, ...lockDownCommands(root).map(([, path, step]) => `icacls ${path} ${step}`), `acl ${root}`, 'cut'])
    expect(inner.journalAt.every((journal) => !journal)).to.equal(true)
    expect(await readJournal(root)).to.not.equal(null)
  })

  it('PowerShell unavailable: the cut goes on, the state folder unchecked is said last, the --evidence-dir is refused', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nmg-acl-state-'))
    const evidence = mkdtempSync(join(tmpdir(), 'nmg-acl-ev-'))
    const blocked: FakeAnswer = {code: 1, stderr: '此程序被组策略阻止。有关详细信息，请与系统管理员联系。', stdout: ''}
    const exec = windowsPc(root, lockedExcept({}), blocked)
    const result = await disconnect(options(root, exec, evidence))
    expect(result.method).to.equal('windows-firewall')
    expect(result.exit_code).to.equal(0)
    expect(result.evidence_dir.startsWith(join(root, 'incident'))).to.equal(true)
    expect(readdirSync(evidence)).to.deep.equal([])
    const error = 'PowerShell exited 1: 此程序被组策略阻止。有关详细信息，请与系统管理员联系。'
    expect(result.warnings).to.include(`取证目录 ${evidence} 不能安全地由管理员写入（无法检查文件夹 ${evidence} 的权限（${error}），不能确认只有管理员能改动它）；证据改为保存到 ${result.evidence_dir}`)
    expect(result.warnings.at(-1)).to.equal(`未能检查 nm-guard 数据文件夹 ${root} 的权限（${error}）；仍在其中记录并照常断网。事后请以管理员身份运行 nm-guard provision`)
  })
})
