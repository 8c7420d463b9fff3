// Folder ACLs in the exact shape src/os/folder-acl.win32.ts's script prints them (PowerShell 5.1's
// ConvertTo-Json of its objects: SIDs, FileSystemRights as a signed [int], enums as numbers), built
// by hand after `icacls` and `Get-Acl` on stock Windows 10/11 folders; and a powershell.exe stand-in
// that answers the script per folder it asks about.
import {lockDownCommands} from '../../src/agent/install/lock-down.win32.js'
import {FOLDER_ACL_PS} from '../../src/os/folder-acl.win32.js'
import {psStdout} from '../facts/win32/ps-fixtures.js'

export const SID = {
  administrators: 'S-1-5-32-544',
  authenticatedUsers: 'S-1-5-11',
  creatorOwner: 'S-1-3-0',
  everyone: 'S-1-1-0',
  system: 'S-1-5-18',
  trustedInstaller: 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464',
  user: 'S-1-5-21-1004336348-1177238915-682003330-1001',
  users: 'S-1-5-32-545',
}

/** FileSystemRights as [int]: F, M, RX, Users' (WD,AD,WEA,WA) on C:\ProgramData, GA and IO-M as stored generic. */
export const RIGHTS = {
  appendData: 4,
  fullControl: 2032127,
  genericAll: 268435456,
  ioModify: -536805376,
  modify: 1245631,
  readAndExecute: 1179817,
  usersCreate: 278,
}

/** InheritanceFlags: (OI)(CI) = 3, (CI) = 1; PropagationFlags: (IO) = 2. */
export interface RuleJson {
  Sid: string
  Rights: number
  Type: number
  Inherited: boolean
  Inheritance: number
  Propagation: number
}

export const allow = (sid: string, rights: number, options: {inheritance?: number; inheritOnly?: boolean; inherited?: boolean} = {}): RuleJson => ({
  Inheritance: options.inheritance ?? 3,
  Inherited: options.inherited ?? false,
  Propagation: options.inheritOnly ? 2 : 0,
  Rights: rights,
  Sid: sid,
  Type: 0,
})

export const deny = (sid: string, rights: number): RuleJson => ({...allow(sid, rights), Type: 1})

/** FileAttributes: Directory 16, Hidden 2, System 4, ReparsePoint 1024. */
export const ATTR = {directory: 16, junction: 1040, programData: 18, root: 22}

export interface FolderJson {
  Path: string
  Attributes: number
  Owner: null | string
  RuleCount: number
  Rules: RuleJson[]
}

export const folder = (path: string, owner: null | string, rules: RuleJson[], attributes = ATTR.directory): FolderJson => ({
  Attributes: attributes,
  Owner: owner,
  Path: path,
  RuleCount: rules.length,
  Rules: rules,
})

/** C:\ on Windows 10/11: TrustedInstaller's; Authenticated Users may create folders (AD) and modify what is below (IO). */
export const stockDriveRoot = (path = 'C:\\'): FolderJson =>
  folder(
    path,
    SID.trustedInstaller,
    [
      allow(SID.administrators, RIGHTS.fullControl),
      allow(SID.system, RIGHTS.fullControl),
      allow(SID.users, RIGHTS.readAndExecute),
      allow(SID.authenticatedUsers, RIGHTS.ioModify, {inheritOnly: true}),
      allow(SID.authenticatedUsers, RIGHTS.appendData, {inheritance: 0}),
    ],
    ATTR.root,
  )

/** C:\ProgramData: SYSTEM's, protected; users may create files and folders (CI)(WD,AD,WEA,WA) and own what they create. */
export const stockProgramData = (path = 'C:\\ProgramData'): FolderJson =>
  folder(
    path,
    SID.system,
    [
      allow(SID.system, RIGHTS.fullControl),
      allow(SID.administrators, RIGHTS.fullControl),
      allow(SID.creatorOwner, RIGHTS.genericAll, {inheritOnly: true}),
      allow(SID.users, RIGHTS.readAndExecute),
      allow(SID.users, RIGHTS.usersCreate, {inheritance: 1}),
    ],
    ATTR.programData,
  )

/** What an elevated administrator's new folder under C:\ProgramData inherits, before any lock-down. */
export const inheritedFromProgramData = (path: string, owner = SID.administrators): FolderJson =>
  folder(path, owner, [
    ...(owner === SID.administrators ? [] : [allow(owner, RIGHTS.fullControl, {inherited: true})]),
    allow(SID.system, RIGHTS.fullControl, {inherited: true}),
    allow(SID.administrators, RIGHTS.fullControl, {inherited: true}),
    allow(SID.creatorOwner, RIGHTS.genericAll, {inheritOnly: true, inherited: true}),
    allow(SID.users, RIGHTS.readAndExecute, {inherited: true}),
    allow(SID.users, RIGHTS.usersCreate, {inheritance: 1, inherited: true}),
  ])

const ICACLS_RIGHTS: Record<string, number> = {F: RIGHTS.fullControl, M: RIGHTS.modify, RX: RIGHTS.readAndExecute}

/**
 * The state folder as src/agent/install/lock-down.win32.ts leaves it, read off its icacls commands
 * themselves (/setowner, then /inheritance:r /grant:r SID:(OI)(CI)perm…): change lock-down and this
 * fixture follows.
 */
export function lockedDown(path: string): FolderJson {
  const commands = lockDownCommands(path).filter(([, target]) => target === path)
  let owner: null | string = null
  const rules: RuleJson[] = []
  for (const [, , ...args] of commands) {
    const at = args.indexOf('/setowner')
    if (at >= 0) owner = (args[at + 1] as string).replace(/^\*/, '')
    if (!args.includes('/grant:r')) continue
    for (const grant of args.slice(args.indexOf('/grant:r') + 1).filter((arg) => !arg.startsWith('/'))) {
      const match = /^\*(S-[\d-]+):((?:\((?:OI|CI)\))*)(\w+)$/.exec(grant)
      if (!match) throw new Error(`lock-down grant this fixture cannot read: ${grant}`)
      const flags = match[2] as string
      const inheritance = (flags.includes('(CI)') ? 1 : 0) | (flags.includes('(OI)') ? 2 : 0)
      const rights = ICACLS_RIGHTS[match[3] as string]
      if (rights === undefined) throw new Error(`lock-down right this fixture cannot read: ${match[3]}`)
      rules.push(allow(match[1] as string, rights, {inheritance}))
    }
  }
  return folder(path, owner, rules)
}

/** The same rules, inherited by a folder made below a locked-down one. */
export const belowLockedDown = (path: string): FolderJson => {
  const parent = lockedDown(path)
  return {...parent, Rules: parent.Rules.map((rule) => ({...rule, Inherited: true}))}
}

/** The folders a script sent to the fake asks about, decoded as the script decodes them. */
export function askedPaths(script: string): null | string[] {
  if (!script.includes(FOLDER_ACL_PS)) return null
  const encoded = /FromBase64String\('([A-Za-z0-9+/=]*)'\)/.exec(script)?.[1]
  if (encoded === undefined) throw new Error('folder ACL script without its path list')
  return Buffer.from(encoded, 'base64').toString('utf8').split('\n')
}

/** What powershell.exe prints for the folder ACL script: `acl(path)` for each folder asked about (undefined: left out). */
export function aclAnswer(script: string, acl: (path: string) => FolderJson | undefined | {Path: string; Error: string}): null | string {
  const paths = askedPaths(script)
  if (!paths) return null
  return psStdout(...paths.map(acl).filter((value) => value !== undefined))
}
