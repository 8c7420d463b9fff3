// The Windows installer: a per-machine, 64-bit MSI built on Linux with msitools' wixl, installing to
// C:\Program Files\nm-guard\, putting that folder on the system PATH and running `nm-guard provision`
// as SYSTEM with the settings given to msiexec. wixl 0.101 (Debian 12) cannot express three things
// the MSI needs (HideTarget, Environment, Property/@Secure: it parses the first and ignores it, and
// lacks the other two), so after wixl, msibuild writes them into the database with SQL.
import {execFileSync, spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {mkdtempSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join, posix} from 'node:path'

import type {StagedTree} from './stage.js'
import {appVersion, windowsFiles} from './windows-tree.js'

/** Never changes: it is how Windows Installer knows a newer MSI replaces an installed nm-guard. */
export const UPGRADE_CODE = '6F1D2C8E-5B3A-4E47-9C21-0A7E4D93B6F5'

/** The public properties msiexec takes (`msiexec /i X.msi COLLECTOR_URL=… /qn`). */
export const PUBLIC_PROPERTIES = ['COLLECTOR_URL', 'ENROLL_TOKEN', 'CA_FINGERPRINT', 'REMOVE_DATA'] as const

/** Kept out of the MSI log (Windows Installer writes `**********` instead). */
export const HIDDEN_PROPERTIES = ['ENROLL_TOKEN'] as const

/** The File key of node.exe: every custom action runs it (type 18, "exe from an installed file"). */
export const NODE_FILE_ID = 'NodeExe'

const RUN_JS = '"[INSTALLDIR]app\\bin\\run.js"'

const NOT_UPGRADE_REMOVAL = 'REMOVE="ALL" AND NOT UPGRADINGPRODUCTCODE'

export interface ProvisionAction {
  id: string
  /** Node's arguments (the Target column); the executable is node.exe (the Source column). */
  args: string
  condition: string
  /** Sequence number in InstallExecuteSequence: wixl 0.101 mis-sorts Before= (evidence in the report). */
  sequence: number
  hideTarget: boolean
}

/**
 * Install: after InstallFiles (4000) so node.exe is there. Uninstall: before RemoveFiles (3500) so it
 * still is. An upgrade's removal of the old version (UPGRADINGPRODUCTCODE) runs neither uninstall
 * action, so enrollment, accounts and the queue survive it.
 */
export const PROVISION_ACTIONS: readonly ProvisionAction[] = [
  {
    args: `${RUN_JS} provision --collector-url "[COLLECTOR_URL]" --enroll-token "[ENROLL_TOKEN]" --ca-fingerprint "[CA_FINGERPRINT]" --schedule --lang zh-CN`,
    condition: 'NOT REMOVE',
    hideTarget: true,
    id: 'NmgProvision',
    sequence: 4010,
  },
  {
    args: `${RUN_JS} provision --uninstall`,
    condition: `${NOT_UPGRADE_REMOVAL} AND REMOVE_DATA<>"1"`,
    hideTarget: false,
    id: 'NmgUnprovision',
    sequence: 3490,
  },
  {
    args: `${RUN_JS} provision --uninstall --remove-data`,
    condition: `${NOT_UPGRADE_REMOVAL} AND REMOVE_DATA="1"`,
    hideTarget: false,
    id: 'NmgUnprovisionData',
    sequence: 3491,
  },
]

/** msidbCustomActionType: 18 = exe from an installed file; continue on failure; deferred; as SYSTEM. */
const CA = {exeFromFile: 18, continueOnError: 0x40, inScript: 0x400, noImpersonate: 0x800, hideTarget: 0x2000}

export const customActionType = (action: ProvisionAction): number =>
  CA.exeFromFile | CA.continueOnError | CA.inScript | CA.noImpersonate | (action.hideTarget ? CA.hideTarget : 0)

/** PATH gains INSTALLDIR at its end on install and loses it on uninstall: `=` set, `-` remove on uninstall, `*` system. */
export const PATH_ENTRY = {component: 'c_launcher', name: '=-*PATH', value: '[~];[INSTALLDIR]'}

/** A name-based UUID (RFC 4122 version 5, SHA-1) in the UpgradeCode's namespace, as MSI writes GUIDs. */
export function stableGuid(name: string): string {
  const namespace = Buffer.from(UPGRADE_CODE.replaceAll('-', ''), 'hex')
  const bytes = createHash('sha1').update(namespace).update(name, 'utf8').digest().subarray(0, 16)
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x50
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80
  const hex = bytes.toString('hex').toUpperCase()
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** One ProductCode per version: rebuilding a version gives the same product, a new version a new one (a major upgrade). */
export const productCode = (version: string): string => stableGuid(`product/${version}`)

/** A component's GUID follows its file's install path, so every build and version agrees on it. */
export const componentGuid = (rel: string): string => stableGuid(`component/${rel.toLowerCase()}`)

const FIXED_IDS: Record<string, string> = {'nm-guard.cmd': 'launcher', 'node.exe': 'node'}

/** MSI identifiers: letters, digits, `_` and `.`, at most 72 characters; a hash keeps them unique and short. */
const idFor = (prefix: string, rel: string): string =>
  `${prefix}_${FIXED_IDS[rel] ?? createHash('sha1').update(rel).digest('hex').slice(0, 20)}`

const fileId = (rel: string): string => (rel === 'node.exe' ? NODE_FILE_ID : idFor('f', rel))

const xml = (s: string): string =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')

interface DirNode {
  dirs: Map<string, DirNode>
  files: string[]
}

function tree(files: readonly string[]): DirNode {
  const root: DirNode = {dirs: new Map(), files: []}
  for (const rel of files) {
    let node = root
    for (const part of rel.split('/').slice(0, -1)) {
      if (!node.dirs.has(part)) node.dirs.set(part, {dirs: new Map(), files: []})
      node = node.dirs.get(part) as DirNode
    }
    node.files.push(rel)
  }
  return root
}

export interface WxsInput {
  version: string
  /** `/`-separated paths relative to the staged tree: wixl finds sources only relative to its working folder. */
  files: readonly string[]
}

/** The WiX source, in the subset wixl 0.101 implements. */
export function wxs({files, version}: WxsInput): string {
  if (!/^\d+\.\d+\.\d+$/.test(version)) throw new Error(`an MSI ProductVersion is major.minor.build, not ${version}`)
  for (const needed of ['node.exe', 'nm-guard.cmd']) if (!files.includes(needed)) throw new Error(`the MSI needs ${needed} in the staged tree`)
  const components: string[] = []
  const lines: string[] = []
  const emit = (node: DirNode, dirRel: string, indent: string): void => {
    for (const rel of node.files) {
      const id = idFor('c', rel)
      components.push(id)
      lines.push(
        `${indent}<Component Id="${id}" Guid="${componentGuid(rel)}" Win64="yes">`,
        `${indent}  <File Id="${fileId(rel)}" Name="${xml(posix.basename(rel))}" Source="${xml(rel)}" KeyPath="yes"/>`,
        `${indent}</Component>`,
      )
    }
    for (const [name, child] of node.dirs) {
      const rel = dirRel ? `${dirRel}/${name}` : name
      lines.push(`${indent}<Directory Id="${idFor('d', rel)}" Name="${xml(name)}">`)
      emit(child, rel, `${indent}  `)
      lines.push(`${indent}</Directory>`)
    }
  }
  emit(tree(files), '', '          ')
  const actions = PROVISION_ACTIONS.flatMap((a) => [
    `    <CustomAction Id="${a.id}" FileKey="${NODE_FILE_ID}" ExeCommand="${xml(a.args)}" Execute="deferred" Impersonate="no" Return="ignore"${a.hideTarget ? ' HideTarget="yes"' : ''}/>`,
  ])
  const sequence = PROVISION_ACTIONS.map((a) => `      <Custom Action="${a.id}" Sequence="${a.sequence}">${xml(a.condition)}</Custom>`)
  return `<?xml version="1.0" encoding="utf-8"?>
<Wix xmlns="http://schemas.microsoft.com/wix/2006/wi">
  <Product Id="${productCode(version)}" Name="nm-guard" Language="1033" Version="${version}" Manufacturer="nm-guard" UpgradeCode="${UPGRADE_CODE}">
    <Package InstallerVersion="500" Compressed="yes" InstallScope="perMachine" Description="nm-guard ${version}" Comments="Security agent for government new-media PCs"/>
    <MajorUpgrade DowngradeErrorMessage="A newer version of nm-guard is already installed."/>
    <Media Id="1" Cabinet="nmguard.cab" EmbedCab="yes"/>
    <!-- ASCII only: Windows Installer has no UTF-8 database codepage. -->
    <Property Id="MsiHiddenProperties" Value="${HIDDEN_PROPERTIES.join(';')}"/>
    <Property Id="ARPNOMODIFY" Value="1"/>
    <Directory Id="TARGETDIR" Name="SourceDir">
      <Directory Id="ProgramFiles64Folder">
        <Directory Id="INSTALLDIR" Name="nm-guard">
${lines.join('\n')}
        </Directory>
      </Directory>
    </Directory>
    <Feature Id="Main" Level="1">
${components.map((id) => `      <ComponentRef Id="${id}"/>`).join('\n')}
    </Feature>
${actions.join('\n')}
    <InstallExecuteSequence>
${sequence.join('\n')}
      <RemoveEnvironmentStrings/>
      <WriteEnvironmentStrings/>
    </InstallExecuteSequence>
  </Product>
</Wix>
`
}

const q = (s: string): string => `'${s.replaceAll("'", "''")}'`

/** What wixl 0.101 cannot say, as msibuild SQL run on its output. */
export function postWixlSql(secureAfterWixl: string): string[] {
  const secure = [...secureAfterWixl.split(';').filter(Boolean), ...PUBLIC_PROPERTIES].join(';')
  return [
    'CREATE TABLE `Environment` (`Environment` CHAR(72) NOT NULL, `Name` CHAR(255) NOT NULL LOCALIZABLE, `Value` CHAR(255) LOCALIZABLE, `Component_` CHAR(72) NOT NULL PRIMARY KEY `Environment`)',
    `INSERT INTO \`Environment\` (\`Environment\`, \`Name\`, \`Value\`, \`Component_\`) VALUES ('NmgPath', ${q(PATH_ENTRY.name)}, ${q(PATH_ENTRY.value)}, ${q(PATH_ENTRY.component)})`,
    ...PROVISION_ACTIONS.map((a) => `UPDATE \`CustomAction\` SET \`Type\` = ${customActionType(a)} WHERE \`Action\` = ${q(a.id)}`),
    // Secure: msiexec passes these from the client to the elevated server side of a per-machine install.
    `UPDATE \`Property\` SET \`Value\` = ${q(secure)} WHERE \`Property\` = 'SecureCustomProperties'`,
  ]
}

/** wixl's own SecureCustomProperties (MajorUpgrade's detection properties), read from the database. */
function wixlSecureProperties(msi: string): string {
  const rows = execFileSync('/usr/bin/msiinfo', ['export', msi, 'Property'], {encoding: 'utf8'}).split(/\r?\n/)
  const row = rows.find((line) => line.startsWith('SecureCustomProperties\t'))
  if (!row) throw new Error(`${msi}: wixl wrote no SecureCustomProperties`)
  return row.split('\t')[1] ?? ''
}

function run(command: string, args: string[], cwd: string): void {
  const r = spawnSync(command, args, {cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe']})
  if (r.status !== 0) throw new Error(`${command} failed (${r.error?.message ?? `exit ${r.status}`}): ${`${r.stdout}${r.stderr}`.trim().slice(-2000)}`)
}

export interface MsiResult {
  file: string
  bytes: number
  /** The WiX source it was built from, for a failing build's report. */
  wxs: string
}

/** Builds the MSI from a staged win32-x64 tree (adding nm-guard.cmd to it) into `outFile`. */
export function buildMsi(staged: StagedTree, outFile: string): MsiResult {
  const files = windowsFiles(staged)
  const source = wxs({files, version: appVersion(staged)})
  const work = mkdtempSync(join(tmpdir(), 'nmg-msi-'))
  try {
    const wxsFile = join(work, 'nm-guard.wxs')
    writeFileSync(wxsFile, source)
    // The database is finished beside the output and renamed, so a failed build leaves no half MSI.
    const partial = join(dirname(outFile), `.${Date.now()}-${process.pid}.msi.partial`)
    try {
      run('/usr/bin/wixl', ['-a', 'x64', '-o', partial, wxsFile], staged.dir)
      run('/usr/bin/msibuild', [partial, ...postWixlSql(wixlSecureProperties(partial)).flatMap((sql) => ['-q', sql])], work)
      renameSync(partial, outFile)
    } finally {
      rmSync(partial, {force: true})
    }
    return {bytes: statSync(outFile).size, file: outFile, wxs: source}
  } finally {
    rmSync(work, {force: true, recursive: true})
  }
}
