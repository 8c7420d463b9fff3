// The Windows packages run under Wine: the portable zip unzipped and its own node.exe run on its app
// (no checkout, no dist/), the launcher through cmd.exe, and the MSI installed and removed by Wine's
// msiexec. Wine's msi does not implement MsiHiddenProperties (its verbose log prints the token in
// the property dump), so the log check here is only that no other line carries it; Windows hides it.
import {expect} from 'chai'
import {cpSync, type Dirent, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'

import {unzipSync} from 'fflate'

import {EXIT} from '../../src/cli/exit-codes.js'
import {caFingerprint} from '../../src/collector/protocol.js'
import {buildMsi} from '../../packaging/msi.js'
import {appVersion, windowsPackageName} from '../../packaging/windows-tree.js'
import {buildZip, ZIP_TOP} from '../../packaging/zip.js'
import {startTestCollector} from '../helpers/collector-instance.js'
import {insertEnrollToken} from '../helpers/enrolled-agent.js'
import {hasCommand, requirePart} from '../helpers/require-part.js'
import {ROOT} from '../helpers/run-cli.js'
import {findWine, NODE_WIN, WINE_PART, WineSession, windowsPath} from '../helpers/wine.js'
import {windowsStage} from '../helpers/windows-stage.js'

const WEAK = 'Gaocheng2023'
const SECRET = 'nmg-enroll-SECRET-7f3a9c'
// msiexec's custom actions run with the machine's folders (%ProgramData%\nm-guard), as the Windows
// Installer service would run them: not the per-run folders the session gives the CLI.
const MACHINE_DIRS = {env: {NMG_CONFIG_DIR: '', NMG_STATE_DIR: ''}}

/** The same tree as a later patch release, built into an MSI: what an upgrade installs. */
async function newerMsi(): Promise<{dir: string; file: string; version: string}> {
  const staged = await windowsStage()
  const dir = mkdtempSync(join(tmpdir(), 'nmg-newer-'))
  cpSync(staged.dir, dir, {recursive: true})
  const pjsonFile = join(dir, 'app', 'package.json')
  const pjson = JSON.parse(readFileSync(pjsonFile, 'utf8')) as {version: string}
  const [major, minor, patch] = pjson.version.split('.').map(Number) as [number, number, number]
  pjson.version = `${major}.${minor}.${patch + 1}`
  writeFileSync(pjsonFile, JSON.stringify(pjson))
  const tree = {app: join(dir, 'app'), dir, node: join(dir, 'node.exe')}
  return {dir, file: buildMsi(tree, join(dir, windowsPackageName(pjson.version, 'msi'))).file, version: pjson.version}
}

describe('the Windows packages under Wine', function () {
  // Staging ~15 s, the zip ~12 s, the prefix 5–20 s, each run 2–8 s.
  this.timeout(300_000)
  let work: string
  let wine: undefined | WineSession
  let version: string
  let top: string
  let msi: string | undefined

  before(async function () {
    const found = findWine()
    requirePart(this, found !== null, WINE_PART)
    const staged = await windowsStage()
    version = appVersion(staged)
    work = mkdtempSync(join(tmpdir(), 'nmg-portable-'))
    const zip = join(work, windowsPackageName(version, 'zip'))
    buildZip(staged, zip)
    for (const [name, data] of Object.entries(unzipSync(readFileSync(zip)))) {
      const file = join(work, 'unzipped', name)
      mkdirSync(dirname(file), {recursive: true})
      writeFileSync(file, data)
    }
    top = join(work, 'unzipped', ZIP_TOP)
    if (hasCommand('wixl') && hasCommand('msibuild')) msi = buildMsi(staged, join(work, windowsPackageName(version, 'msi'))).file
    wine = await WineSession.open(found!, join(top, 'node.exe'), join(top, 'app', 'bin', 'run.js'))
  })

  after(async () => {
    await wine?.close()
    if (work) rmSync(work, {force: true, recursive: true})
  })

  it('--version: the zip\'s own node.exe runs its bundled app', async () => {
    const r = await wine!.run(['--version'])
    expect(r.code, r.stderr).to.equal(0)
    expect(r.stdout.trim()).to.equal(`nm-guard/${version} win32-x64 node-v${NODE_WIN.version}`)
  })

  it('audit --facts on a Windows snapshot: the dirty PC\'s failures, from the bundle\'s policy and messages', async () => {
    const facts = windowsPath(join(ROOT, 'test', 'fixtures', 'win32', 'snapshot-dirty.json'))
    const r = await wine!.run(['audit', '--facts', facts, '--format', 'json', '--lang', 'zh-CN'], {timeoutMs: 90_000})
    expect(r.code, r.stderr.slice(0, 2000)).to.equal(EXIT.nonCompliant)
    type Result = {id: string; status: string; title?: string; evidence: {rules: Array<{reason?: {key: string}}>}}
    const report = JSON.parse(r.stdout) as {schema: string; results: Result[]}
    expect(report.schema).to.equal('nm-guard/report@1')
    const failed = report.results.filter((x) => x.status === 'fail').map((x) => x.id)
    expect(failed).to.include.members(['no-remote-control-tools', 'no-kms-activator-traces', 'patched-recently'])
    // The bundle's default policy leaves the district's networks unset: those say so, nothing else is unjudged.
    const notConfigured = (x: Result): boolean => x.evidence.rules.some((rule) => rule.reason?.key === 'reason.notConfigured')
    expect(report.results.filter((x) => x.status === 'error' && !notConfigured(x)).map((x) => x.id)).to.deep.equal([])
  })

  it('password check --stdin through nm-guard.cmd: a verdict per line, and exit 3 handed on by the launcher', async () => {
    const r = await wine!.exec(['cmd.exe', '/c', windowsPath(join(top, 'nm-guard.cmd')), 'password', 'check', '--stdin', '--json'], {input: `${WEAK}\r\n`})
    expect(r.code, r.stderr).to.equal(EXIT.nonCompliant)
    const verdict = JSON.parse(r.stdout.trim()) as {weak: boolean; reasons: Array<{code: string}>}
    expect(verdict.weak).to.equal(true)
    expect(verdict.reasons.map((x) => x.code)).to.include('place-year')
    expect(r.stdout + r.stderr).to.not.include(WEAK)
  })

  it('msiexec /i installs into Program Files and onto PATH, keeping the token out of every line but Wine\'s property dump; /x removes both', async function () {
    requirePart(this, msi !== undefined, 'wixl and msibuild (Debian packages wixl and msitools)')
    const file = msi as string
    const log = join(work, 'install.log')
    const install = await wine!.exec(
      ['msiexec.exe', '/i', windowsPath(file), '/qn', '/l*v', windowsPath(log), 'COLLECTOR_URL=https://127.0.0.1:9/', `ENROLL_TOKEN=${SECRET}`, 'CA_FINGERPRINT=AB:CD'],
      {...MACHINE_DIRS, timeoutMs: 180_000},
    )
    expect(install.code, install.stdout + install.stderr).to.equal(0)
    const installDir = join(wine!.driveC, 'Program Files', 'nm-guard')
    for (const rel of ['node.exe', 'nm-guard.cmd', 'node.LICENSE', 'app/bin/run.js', 'app/oclif.manifest.json', 'app/node_modules/@napi-rs/keyring-win32-x64-msvc/keyring.win32-x64-msvc.node']) {
      expect(existsSync(join(installDir, rel)), rel).to.equal(true)
    }
    const text = readFileSync(log, 'utf8')
    expect(text).to.match(/NmgProvision/)
    const leaking = text.split(/\r?\n/).filter((line) => line.includes(SECRET) && !/^Property\([SC]\): ENROLL_TOKEN = /.test(line))
    expect(leaking).to.deep.equal([])

    // The install action ran `provision` as SYSTEM with the properties: agent.conf holds them (the
    // token too, since this collector cannot be reached; the daily audit retries).
    const conf = join(wine!.driveC, 'ProgramData', 'nm-guard', 'agent', 'agent.conf')
    expect(readFileSync(conf, 'utf8')).to.include('COLLECTOR_URL=https://127.0.0.1:9/').and.include('CA_FINGERPRINT=AB:CD')

    const path = await wine!.exec(['reg.exe', 'query', 'HKLM\\System\\CurrentControlSet\\Control\\Session Manager\\Environment', '/v', 'PATH'])
    expect(path.stdout).to.match(/;C:\\Program Files\\nm-guard\\?\s*$/m)

    const remove = await wine!.exec(['msiexec.exe', '/x', windowsPath(file), '/qn'], {...MACHINE_DIRS, timeoutMs: 180_000})
    expect(remove.code, remove.stdout + remove.stderr).to.equal(0)
    expect(existsSync(join(installDir, 'node.exe'))).to.equal(false)
    const after = await wine!.exec(['reg.exe', 'query', 'HKLM\\System\\CurrentControlSet\\Control\\Session Manager\\Environment', '/v', 'PATH'])
    expect(after.stdout).to.not.include('nm-guard')
    // Uninstalled without REMOVE_DATA=1: the state (here agent.conf) stays.
    expect(existsSync(conf)).to.equal(true)
  })

  it('msiexec /i with a reachable collector enrolls as SYSTEM and removes the token; a newer MSI upgrades keeping the enrollment; REMOVE_DATA=1 removes the state', async function () {
    requirePart(this, msi !== undefined, 'wixl and msibuild (Debian packages wixl and msitools)')
    const collector = await startTestCollector('nmg-msi-collector-')
    let newer: undefined | {dir: string; file: string; version: string}
    try {
      const token = await insertEnrollToken(collector.store, 1)
      const fingerprint = caFingerprint(collector.ca.certPem)
      const url = `https://127.0.0.1:${collector.running.port}`
      const install = await wine!.exec(['msiexec.exe', '/i', windowsPath(msi as string), '/qn', `COLLECTOR_URL=${url}`, `ENROLL_TOKEN=${token}`, `CA_FINGERPRINT=${fingerprint}`], {...MACHINE_DIRS, timeoutMs: 180_000})
      expect(install.code, install.stdout + install.stderr).to.equal(0)
      const agentDir = join(wine!.driveC, 'ProgramData', 'nm-guard', 'agent')
      const enrollment = JSON.parse(readFileSync(join(agentDir, 'enrollment.json'), 'utf8')) as {agent_id: string; url: string}
      expect(enrollment.url).to.equal(url)
      const conf = readFileSync(join(agentDir, 'agent.conf'), 'utf8')
      expect(conf).to.include(`COLLECTOR_URL=${url}`).and.include('# ENROLL_TOKEN removed after enrollment')
      expect(conf).not.to.include(token)
      // Nowhere else either: no file of the installed agent or its state holds the token.
      const holders = [join(wine!.driveC, 'ProgramData', 'nm-guard'), join(wine!.driveC, 'Program Files', 'nm-guard')].flatMap((dir) =>
        (readdirSync(dir, {recursive: true, withFileTypes: true}) as Dirent[]).filter((e) => e.isFile() && readFileSync(join(e.parentPath, e.name)).includes(token)).map((e) => join(e.parentPath, e.name)),
      )
      expect(holders).to.deep.equal([])

      // An upgrade to a newer MSI replaces the program and keeps the enrollment (no properties given).
      newer = await newerMsi()
      const upgrade = await wine!.exec(['msiexec.exe', '/i', windowsPath(newer.file), '/qn'], {...MACHINE_DIRS, timeoutMs: 180_000})
      expect(upgrade.code, upgrade.stdout + upgrade.stderr).to.equal(0)
      const installed = JSON.parse(readFileSync(join(wine!.driveC, 'Program Files', 'nm-guard', 'app', 'package.json'), 'utf8')) as {version: string}
      expect(installed.version).to.equal(newer.version)
      expect(JSON.parse(readFileSync(join(agentDir, 'enrollment.json'), 'utf8'))).to.deep.equal(enrollment)
      expect(readFileSync(join(agentDir, 'agent.conf'), 'utf8')).to.equal(conf)

      const remove = await wine!.exec(['msiexec.exe', '/x', windowsPath(newer.file), '/qn', 'REMOVE_DATA=1'], {...MACHINE_DIRS, timeoutMs: 180_000})
      expect(remove.code, remove.stdout + remove.stderr).to.equal(0)
      expect(existsSync(join(wine!.driveC, 'ProgramData', 'nm-guard'))).to.equal(false)
    } finally {
      await collector.close()
      if (newer) rmSync(newer.dir, {force: true, recursive: true})
    }
  })
})
