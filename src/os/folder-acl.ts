// Whether an elevated nm-guard may write into a Windows folder, decided from its ACL and those of
// the folders above it, as folder-acl.win32.ts reads them (SIDs and numbers only: account names are
// localized, and garbled under code page 936). The Windows half of #11 2.1; POSIX owner and mode
// rules are in safe-dir.ts.
//
// The folder itself (everything nm-guard writes lands in it or below it):
//  - a real folder, not a reparse point: a junction or symlink in its place sends the writes elsewhere;
//  - owned by Administrators, SYSTEM or TrustedInstaller: an owner can always rewrite the ACL;
//  - no Allow entry giving any other account a write-type right, on the folder or inherited by what
//    is created in it: whoever may add entries can plant a junction or a link under a name about to
//    be written, whoever may delete, rename or re-permission can swap it. CREATOR OWNER on an
//    inherit-only entry is the exception: what nm-guard creates is owned by nm-guard's token.
// Each folder above (whoever can rename or remove an entry on the path can swap the whole branch):
//  - a real folder: Get-Acl reads through a junction, so who may re-point one cannot be seen;
//  - owned by one of the three;
//  - no Allow entry applying to it that lets another account remove or rename its entries
//    (DeleteSubdirectoriesAndFiles), remove or rename it (Delete; not on a drive's root, which
//    cannot be), or change its ACL or owner. Creating entries and writing attributes is allowed, as
//    a sticky /tmp is on Linux: stock C:\ and C:\ProgramData let users create folders. Inherit-only
//    entries do not apply to the folder; Windows copies what they pass on into each child's own
//    ACL, where the next folder on the path is checked in turn.
import {win32} from 'node:path'

import type {UnsafeReason} from './safe-dir.js'

export const TRUSTED_SIDS: ReadonlySet<string> = new Set([
  'S-1-5-32-544', // Administrators
  'S-1-5-18', // SYSTEM
  'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464', // TrustedInstaller
])
export const CREATOR_OWNER = 'S-1-3-0'

/** How many access rules of one folder the script sends; more are counted, and refused unread. */
export const MAX_RULES = 256

/** FileAttributes. */
const DIRECTORY = 0x10
const REPARSE_POINT = 0x400
/** AccessControlType.Deny; PropagationFlags.InheritOnly. */
const DENY = 1
const INHERIT_ONLY = 2

/** FileSystemRights that change a folder or what is in it, with icacls's abbreviations (what an administrator sees). */
const RIGHTS: ReadonlyArray<readonly [number, string]> = [
  [0x2, 'WD'], // WriteData / CreateFiles
  [0x4, 'AD'], // AppendData / CreateDirectories
  [0x10, 'WEA'], // WriteExtendedAttributes
  [0x40, 'DC'], // DeleteSubdirectoriesAndFiles
  [0x100, 'WA'], // WriteAttributes
  [0x10000, 'DE'], // Delete
  [0x40000, 'WDAC'], // ChangePermissions
  [0x80000, 'WO'], // TakeOwnership
]
const WRITE_RIGHTS = RIGHTS.reduce((all, [bit]) => all | bit, 0)
/** What lets an account swap a folder on the path: remove or rename entries, or take the ACL over. */
const SWAP_RIGHTS = 0x40 | 0x10000 | 0x40000 | 0x80000
const DELETE = 0x10000

/** Generic bits stored in (mostly inherit-only) entries, as the file system maps them. */
const GENERIC: ReadonlyArray<readonly [number, number]> = [
  [0x10000000, 0x1f01ff], // GENERIC_ALL → FILE_ALL_ACCESS
  [0x02000000, 0x1f01ff], // MAXIMUM_ALLOWED: as much as there is
  [0x40000000, 0x120116], // GENERIC_WRITE → FILE_GENERIC_WRITE
  [0x80000000, 0x120089], // GENERIC_READ
  [0x20000000, 0x1200a0], // GENERIC_EXECUTE
]

export interface AclRule {
  sid: string
  /** FileSystemRights as an unsigned mask (PowerShell's [int] of it can be negative). */
  rights: number
  /** AccessControlType: 0 Allow, 1 Deny. */
  type: number
  inherited: boolean
  /** InheritanceFlags: 1 ContainerInherit, 2 ObjectInherit. */
  inheritance: number
  /** PropagationFlags: 1 NoPropagateInherit, 2 InheritOnly. */
  propagation: number
}

/** One folder as the script reports it: its reading, or why there is none. */
export type FolderAcl =
  | {path: string; attributes: number; owner: null | string; ruleCount: number; rules: AclRule[]}
  | {path: string; error: string}

/** The folder and every folder above it, the folder first: what the script reads. */
export function folderChain(dir: string): string[] {
  const trimmed = dir.length > 1 && win32.dirname(dir) !== dir ? dir.replace(/[\\/]+$/, '') : dir
  const chain = [trimmed]
  for (let current = trimmed; win32.dirname(current) !== current; ) {
    current = win32.dirname(current)
    chain.push(current)
  }
  return chain
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isInt = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value)

/** ConvertTo-Json writes a one-element array as an array, but an object alone is accepted too. */
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value])

function parseRule(value: unknown): AclRule | null {
  if (!isObject(value)) return null
  const {Inheritance, Inherited, Propagation, Rights, Sid, Type} = value
  if (typeof Sid !== 'string' || !isInt(Rights) || !isInt(Type) || typeof Inherited !== 'boolean' || !isInt(Inheritance) || !isInt(Propagation)) return null
  return {inheritance: Inheritance, inherited: Inherited, propagation: Propagation, rights: Rights >>> 0, sid: Sid, type: Type}
}

/** The script's JSON, checked field by field: anything malformed becomes an error for its folder, never a pass. */
export function parseFolderAcls(values: unknown[]): FolderAcl[] {
  const out: FolderAcl[] = []
  for (const value of values) {
    if (!isObject(value) || typeof value.Path !== 'string') continue
    const path = value.Path
    if (typeof value.Error === 'string') {
      out.push({error: value.Error.slice(0, 300), path})
      continue
    }
    const rules = list(value.Rules).map(parseRule)
    const owner = value.Owner === null || value.Owner === undefined ? null : value.Owner
    if (!isInt(value.Attributes) || (owner !== null && typeof owner !== 'string') || !isInt(value.RuleCount) || rules.some((r) => r === null)) {
      out.push({error: 'unexpected ACL reading', path})
      continue
    }
    out.push({attributes: value.Attributes, owner, path, ruleCount: value.RuleCount, rules: rules as AclRule[]})
  }
  return out
}

/** The rights a rule grants, its generic bits mapped to the file rights they stand for. */
export function effectiveRights(mask: number): number {
  let rights = mask >>> 0
  for (const [bit, mapped] of GENERIC) if ((rights & bit) !== 0) rights |= mapped
  return rights >>> 0
}

/** `WD,AD,DE`: the write-type rights in `rights`, as icacls shows them. */
export const rightsText = (rights: number): string =>
  RIGHTS.filter(([bit]) => (rights & bit) !== 0)
    .map(([, name]) => name)
    .join(',')

/** The first rule letting an untrusted account change the folder (`role` 'folder') or swap it ('above'). */
function writer(acl: {path: string; rules: AclRule[]}, role: 'above' | 'folder'): {rights: number; sid: string} | null {
  const isRoot = win32.dirname(acl.path) === acl.path
  for (const rule of acl.rules) {
    if (rule.type === DENY || TRUSTED_SIDS.has(rule.sid)) continue
    const inheritOnly = (rule.propagation & INHERIT_ONLY) !== 0
    let risky: number
    if (role === 'folder') {
      if (inheritOnly && rule.sid === CREATOR_OWNER) continue
      risky = effectiveRights(rule.rights) & WRITE_RIGHTS
    } else {
      if (inheritOnly) continue
      risky = effectiveRights(rule.rights) & SWAP_RIGHTS & (isRoot ? ~DELETE : ~0)
    }
    if (risky !== 0) return {rights: risky, sid: rule.sid}
  }
  return null
}

/**
 * Why an elevated nm-guard must not write into `chain[0]` (role 'folder'), or must not create a
 * folder in it ('above': only the rules for folders above apply to it), or null. `chain` is
 * folderChain(dir); `acls` what the script read. A folder the reading lacks is refused: unknown
 * is never safe.
 */
export function folderAclProblem(chain: string[], acls: FolderAcl[], role: 'above' | 'folder' = 'folder'): UnsafeReason | null {
  const byPath = new Map(acls.map((acl) => [acl.path, acl]))
  for (const [index, path] of chain.entries()) {
    const acl = byPath.get(path)
    if (!acl) return {error: 'no ACL reading', path, reason: 'aclUnchecked'}
    if ('error' in acl) return {error: acl.error, path, reason: 'aclUnreadable'}
    if ((acl.attributes & REPARSE_POINT) !== 0) return {path, reason: 'link'}
    if ((acl.attributes & DIRECTORY) === 0) return {path, reason: 'notFolder'}
    if (acl.owner === null || !TRUSTED_SIDS.has(acl.owner)) return {path, reason: 'aclOwner', sid: acl.owner ?? '?'}
    if (acl.ruleCount > acl.rules.length) return {error: `${acl.ruleCount} access rules, more than ${MAX_RULES}`, path, reason: 'aclUnreadable'}
    const found = writer(acl, index === 0 && role === 'folder' ? 'folder' : 'above')
    if (found) return {path, reason: 'aclWritable', rights: rightsText(found.rights), sid: found.sid}
  }
  return null
}

/** Well-known accounts by their English names, which Chinese Windows shows too; any other SID as is. */
const WELL_KNOWN: Record<string, string> = {
  'S-1-1-0': 'Everyone',
  'S-1-3-0': 'CREATOR OWNER',
  'S-1-3-4': 'OWNER RIGHTS',
  'S-1-5-2': 'NETWORK',
  'S-1-5-4': 'INTERACTIVE',
  'S-1-5-7': 'ANONYMOUS LOGON',
  'S-1-5-11': 'Authenticated Users',
  'S-1-5-32-545': 'Users',
  'S-1-5-32-546': 'Guests',
  'S-1-5-32-547': 'Power Users',
  'S-1-15-2-1': 'ALL APPLICATION PACKAGES',
}

/** `Users (S-1-5-32-545)`; an account of this PC or the domain by its SID alone. */
export const accountLabel = (sid: string): string => (WELL_KNOWN[sid] ? `${WELL_KNOWN[sid]} (${sid})` : sid)
