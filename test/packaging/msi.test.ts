// The Windows installer: the WiX source and GUIDs without any tool, then the real MSI built by wixl
// from the staged tree, read back table by table with msiinfo (what Windows Installer will act on).
import {expect} from 'chai'
import {execFileSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {
  buildMsi,
  componentGuid,
  customActionType,
  HIDDEN_PROPERTIES,
  type MsiResult,
  NODE_FILE_ID,
  postWixlSql,
  productCode,
  PROVISION_ACTIONS,
  PUBLIC_PROPERTIES,
  stableGuid,
  UPGRADE_CODE,
  wxs,
} from '../../packaging/msi.js'
import {LAUNCHER_NAME, LAUNCHER_TEXT} from '../../packaging/windows-launcher.js'
import {windowsPackageName} from '../../packaging/windows-tree.js'
import {hasCommand, requirePart} from '../helpers/require-part.js'
import {ROOT} from '../helpers/run-cli.js'
import {windowsStage} from '../helpers/windows-stage.js'

const MSITOOLS_PART = 'wixl, msibuild and msiinfo (Debian packages wixl and msitools)'
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {version: string}).version
const GUID = /^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/
const FILES = ['app/bin/run.js', 'app/oclif.manifest.json', 'app/node_modules/@napi-rs/keyring-win32-x64-msvc/keyring.win32-x64-msvc.node', 'nm-guard.cmd', 'node.exe']

describe('the MSI source (no wixl needed)', () => {
  it('derives GUIDs from names: the same every build, different per file and per version', () => {
    expect(stableGuid('x')).to.match(GUID).and.equal(stableGuid('x'))
    expect(componentGuid('app/bin/run.js')).to.not.equal(componentGuid('app/dist/commands/run.js'))
    // Windows paths are case-insensitive: so is a component's identity.
    expect(componentGuid('App/Bin/Run.js')).to.equal(componentGuid('app/bin/run.js'))
    expect(productCode('0.1.0')).to.match(GUID).and.not.equal(productCode('0.2.0'))
    expect(productCode('0.1.0')).to.not.equal(UPGRADE_CODE)
  })

  it('installs per machine into Program Files (64-bit) with a fixed UpgradeCode and a major upgrade', () => {
    const source = wxs({files: FILES, version: '1.2.3'})
    expect(source).to.include(`UpgradeCode="${UPGRADE_CODE}"`).and.include(`Id="${productCode('1.2.3')}"`).and.include('Version="1.2.3"')
    expect(source).to.include('InstallScope="perMachine"').and.include('<MajorUpgrade ').and.include('EmbedCab="yes"')
    expect(source).to.match(/<Directory Id="ProgramFiles64Folder">\s*<Directory Id="INSTALLDIR" Name="nm-guard">/)
    for (const rel of FILES) expect(source, rel).to.include(`Guid="${componentGuid(rel)}" Win64="yes"`)
    expect(source).to.include(`<File Id="${NODE_FILE_ID}" Name="node.exe" Source="node.exe" KeyPath="yes"/>`)
    expect(source).to.include('Name="@napi-rs"').and.include('Source="app/node_modules/@napi-rs/keyring-win32-x64-msvc/keyring.win32-x64-msvc.node"')
    expect(source).to.include(`<Property Id="MsiHiddenProperties" Value="ENROLL_TOKEN"/>`)
  })

  it('runs provision after InstallFiles and provision --uninstall before RemoveFiles, never on an upgrade', () => {
    const source = wxs({files: FILES, version: '1.2.3'})
    const [install, uninstall, removeData] = PROVISION_ACTIONS
    expect(install?.args).to.equal('"[INSTALLDIR]app\\bin\\run.js" provision --collector-url "[COLLECTOR_URL]" --enroll-token "[ENROLL_TOKEN]" --ca-fingerprint "[CA_FINGERPRINT]" --schedule --lang zh-CN')
    expect(install?.sequence).to.be.greaterThan(4000)
    for (const a of [uninstall, removeData]) {
      expect(a?.sequence).to.be.within(1501, 3499)
      expect(a?.condition).to.include('REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE')
    }
    expect(uninstall?.args).to.match(/provision --uninstall$/)
    expect(removeData?.args).to.match(/provision --uninstall --remove-data$/)
    expect(source).to.include('<Custom Action="NmgProvision" Sequence="4010">NOT REMOVE</Custom>')
    expect(source).to.include('<Custom Action="NmgUnprovisionData" Sequence="3491">REMOVE=&quot;ALL&quot; AND NOT UPGRADINGPRODUCTCODE AND REMOVE_DATA=&quot;1&quot;</Custom>')
    for (const a of PROVISION_ACTIONS) {
      expect(source).to.include(`<CustomAction Id="${a.id}" FileKey="${NODE_FILE_ID}"`)
      // The Target column is 255 characters.
      expect(a.args.length).to.be.at.most(255)
    }
  })

  it('computes the custom action types: exe from an installed file, deferred, as SYSTEM, failure ignored, target hidden only where the token is', () => {
    expect(PROVISION_ACTIONS.map(customActionType)).to.deep.equal([18 + 0x40 + 0x400 + 0x800 + 0x2000, 3154, 3154])
    const sql = postWixlSql('WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED')
    expect(sql).to.include("UPDATE `CustomAction` SET `Type` = 11346 WHERE `Action` = 'NmgProvision'")
    expect(sql.at(-1)).to.equal("UPDATE `Property` SET `Value` = 'WIX_DOWNGRADE_DETECTED;WIX_UPGRADE_DETECTED;COLLECTOR_URL;ENROLL_TOKEN;CA_FINGERPRINT;REMOVE_DATA' WHERE `Property` = 'SecureCustomProperties'")
  })

  it('refuses a version Windows Installer cannot compare, and a tree without node.exe or the launcher', () => {
    expect(() => wxs({files: FILES, version: '1.2.3-beta.1'})).to.throw(/major\.minor\.build/)
    expect(() => wxs({files: FILES.filter((f) => f !== 'nm-guard.cmd'), version: '1.2.3'})).to.throw(/nm-guard\.cmd/)
  })

  it('nm-guard.cmd runs the bundled node on the app with every argument, CRLF, passing the exit code on', () => {
    expect(LAUNCHER_NAME).to.equal('nm-guard.cmd')
    expect(LAUNCHER_TEXT.split('\r\n')).to.deep.equal(['@echo off', 'setlocal', 'call :dp0', '"%dp0%node.exe" "%dp0%app\\bin\\run.js" %*', 'exit /b %ERRORLEVEL%', ':dp0', 'set "dp0=%~dp0"', 'exit /b', ''])
    expect(LAUNCHER_TEXT.replaceAll('\r\n', '')).to.not.include('\n')
  })
})

/** `msiinfo export` as rows of columns, less its three header lines. */
function table(msi: string, name: string): string[][] {
  return execFileSync('msiinfo', ['export', msi, name], {encoding: 'utf8'})
    .split(/\r?\n/)
    .slice(3)
    .filter(Boolean)
    .map((line) => line.split('\t'))
}

describe('the MSI built by wixl from the staged win32-x64 tree', function () {
  // Staging ~15 s (bundle, npm tarballs from the cache), wixl ~4 s.
  this.timeout(240_000)
  let out: string
  let built: MsiResult
  let msi: string

  before(async function () {
    requirePart(this, hasCommand('wixl') && hasCommand('msibuild') && hasCommand('msiinfo'), MSITOOLS_PART)
    const staged = await windowsStage()
    out = mkdtempSync(join(tmpdir(), 'nmg-msi-test-'))
    msi = join(out, windowsPackageName(VERSION, 'msi'))
    built = buildMsi(staged, msi)
  })

  after(() => {
    if (out) rmSync(out, {force: true, recursive: true})
  })

  it(`is named for the version and is at most 45 MB with node.exe inside`, () => {
    expect(msi).to.match(new RegExp(`nm-guard-agent-${VERSION.replaceAll('.', '\\.')}-win-x64\\.msi$`))
    expect(built.bytes).to.be.at.most(45 * 1024 * 1024)
    const summary = execFileSync('msiinfo', ['suminfo', msi], {encoding: 'utf8'})
    expect(summary).to.match(/^Template: x64;1033$/m)
    expect(table(msi, 'Media')).to.deep.equal([['1', table(msi, 'File').length.toString(), '', '#nmguard.cab', '', '']])
  })

  it('lists node.exe, the launcher, run.js, the oclif manifest and the keyring module in 64-bit components under INSTALLDIR', () => {
    const files = table(msi, 'File')
    const components = new Map(table(msi, 'Component').map(([id, guid, dir, attributes]) => [id, {attributes, dir, guid}]))
    const named = (name: string) => files.filter((row) => row[2] === name)
    for (const name of ['node.exe', 'nm-guard.cmd', 'oclif.manifest.json', 'keyring.win32-x64-msvc.node']) expect(named(name), name).to.have.length(1)
    expect(named('node.exe')[0]?.[0]).to.equal(NODE_FILE_ID)
    expect(components.get(named('node.exe')[0]?.[1] as string)).to.deep.equal({attributes: '256', dir: 'INSTALLDIR', guid: `{${componentGuid('node.exe')}}`})
    expect(components.get(named('nm-guard.cmd')[0]?.[1] as string)?.dir).to.equal('INSTALLDIR')
    // app\bin\run.js: the one run.js whose directory is `bin` under `app` under INSTALLDIR.
    const dirs = new Map(table(msi, 'Directory').map(([id, parent, name]) => [id, {name, parent}]))
    const pathOf = (dir: string): string => (dir === 'INSTALLDIR' ? '' : `${pathOf(dirs.get(dir)?.parent as string)}${dirs.get(dir)?.name}\\`)
    const runJs = named('run.js').map((row) => pathOf(components.get(row[1] as string)?.dir as string))
    expect(runJs).to.include('app\\bin\\')
    expect(dirs.get('INSTALLDIR')).to.deep.equal({name: 'nm-guard', parent: 'ProgramFiles64Folder'})
    for (const {attributes} of components.values()) expect(attributes).to.equal('256')
  })

  it('declares ALLUSERS=1, the hidden token and the secure public properties', () => {
    const props = Object.fromEntries(table(msi, 'Property').map(([k, v]) => [k, v]))
    expect(props).to.include({ALLUSERS: '1', MsiHiddenProperties: HIDDEN_PROPERTIES.join(';'), ProductCode: `{${productCode(VERSION)}}`, ProductVersion: VERSION, UpgradeCode: `{${UPGRADE_CODE}}`})
    expect(props.SecureCustomProperties?.split(';')).to.include.members([...PUBLIC_PROPERTIES, 'WIX_UPGRADE_DETECTED'])
  })

  it('has the provision custom actions with their command lines, types and conditions', () => {
    const actions = table(msi, 'CustomAction').map(([action, type, source, target]) => ({action, source, target, type: Number(type)}))
    expect(actions).to.have.deep.members(PROVISION_ACTIONS.map((a) => ({action: a.id, source: NODE_FILE_ID, target: a.args, type: customActionType(a)})))
    const sequence = new Map(table(msi, 'InstallExecuteSequence').map(([action, condition, seq]) => [action, {condition, seq: Number(seq)}]))
    const at = (action: string) => sequence.get(action)?.seq as number
    expect(sequence.get('NmgProvision')?.condition).to.equal('NOT REMOVE')
    expect(at('NmgProvision')).to.be.greaterThan(at('InstallFiles')).and.lessThan(at('InstallFinalize'))
    for (const id of ['NmgUnprovision', 'NmgUnprovisionData']) {
      expect(at(id), id).to.be.greaterThan(at('InstallInitialize')).and.lessThan(at('RemoveFiles'))
      expect(sequence.get(id)?.condition).to.match(/^REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE AND REMOVE_DATA(<>|=)"1"$/)
    }
    expect(at('RemoveExistingProducts')).to.be.lessThan(at('InstallInitialize'))
    expect(at('WriteEnvironmentStrings')).to.be.greaterThan(at('InstallFiles'))
    expect(at('RemoveEnvironmentStrings')).to.be.lessThan(at('RemoveFiles'))
  })

  it('appends INSTALLDIR to the system PATH, removed on uninstall, and detects newer and older versions', () => {
    expect(table(msi, 'Environment')).to.deep.equal([['NmgPath', '=-*PATH', '[~];[INSTALLDIR]', 'c_launcher']])
    const upgrade = table(msi, 'Upgrade').map(([code, min, max, , attributes, , property]) => ({attributes, code, max, min, property}))
    expect(upgrade).to.have.deep.members([
      {attributes: '1', code: `{${UPGRADE_CODE}}`, max: VERSION, min: '', property: 'WIX_UPGRADE_DETECTED'},
      {attributes: '2', code: `{${UPGRADE_CODE}}`, max: '', min: VERSION, property: 'WIX_DOWNGRADE_DETECTED'},
    ])
  })
})
