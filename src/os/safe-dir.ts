// Files root writes must never land through something a user planted (#11 2.1). A folder root
// writes into must be root's and writable by no one else, and every folder above it too (whoever
// may rename entries there can swap the folder for their own); files are created new, never
// through a link; folders are created, then checked with lstat to be real folders. On Windows the
// same holds for an elevated nm-guard, with Administrators for root and ACLs for modes (below).
import {closeSync, constants, fchmodSync, lstatSync, mkdirSync, openSync, realpathSync, statSync, type Stats, writeSync} from 'node:fs'
import {open} from 'node:fs/promises'
import {dirname, resolve} from 'node:path'

import {EXIT} from '../cli/exit-codes.js'
import {UserError} from '../cli/user-error.js'
import type {MessageKey, Params} from '../i18n/messages.js'
import {accountLabel} from './folder-acl.js'

/** Created new: an existing entry, a link included (even a dangling one), is refused with EEXIST. */
export const CREATE_NEW_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0)

/** Group or others may write. */
const WRITABLE_BY_OTHERS = 0o022
const STICKY = 0o1000

/** Whether the rule applies: root on a POSIX system. Windows has no POSIX owner (ACLs decide). */
export const runsAsPosixRoot = (platform: NodeJS.Platform = process.platform): boolean =>
  platform !== 'win32' && typeof process.getuid === 'function' && process.getuid() === 0

export type UnsafeReason =
  | {path: string; reason: 'link'}
  | {path: string; reason: 'notFolder'}
  | {path: string; reason: 'owner'; uid: number}
  | {mode: string; path: string; reason: 'writable'}
  // Windows (folder-acl.ts): owned by an account other than Administrators, SYSTEM, TrustedInstaller;
  // an account that may change it (icacls's letters); its ACL unreadable; no reading at all.
  | {path: string; reason: 'aclOwner'; sid: string}
  | {path: string; reason: 'aclWritable'; rights: string; sid: string}
  | {error: string; path: string; reason: 'aclUnreadable'}
  | {error: string; path: string; reason: 'aclUnchecked'}

const modeOf = (s: Stats): string => (s.mode & 0o7777).toString(8).padStart(4, '0')

/** A folder above the one root writes into, as lstat (lexical path) or stat (resolved path) sees it. */
function aboveProblem(path: string, info: Stats): UnsafeReason | null {
  if (info.uid !== 0) return {path, reason: 'owner', uid: info.uid}
  // Root's own link: where it points is checked on the resolved path.
  if (info.isSymbolicLink()) return null
  // A sticky folder (/tmp) lets users add entries but not rename or remove root's.
  if ((info.mode & WRITABLE_BY_OTHERS) !== 0 && (info.mode & STICKY) === 0) return {mode: modeOf(info), path, reason: 'writable'}
  return null
}

const ancestors = (path: string): string[] => {
  const paths: string[] = []
  for (let current = dirname(path); ; current = dirname(current)) {
    paths.push(current)
    if (dirname(current) === current) return paths
  }
}

/**
 * Why root must not write into `dir`, or null when it may. The folder itself: a real folder (not
 * a link), owned by root, not writable by group or others. Each folder above it, both as written
 * (a link there must be root's) and with links resolved: owned by root, not writable by group or
 * others unless sticky. Windows: nothing is refused here; ACLs decide (admin-dir.ts).
 */
export function unsafeDirReason(dir: string, platform: NodeJS.Platform = process.platform): UnsafeReason | null {
  if (platform === 'win32') return null
  const own = lstatSync(dir)
  if (own.isSymbolicLink()) return {path: dir, reason: 'link'}
  if (!own.isDirectory()) return {path: dir, reason: 'notFolder'}
  if (own.uid !== 0) return {path: dir, reason: 'owner', uid: own.uid}
  if ((own.mode & WRITABLE_BY_OTHERS) !== 0) return {mode: modeOf(own), path: dir, reason: 'writable'}
  for (const path of ancestors(resolve(dir))) {
    const problem = aboveProblem(path, lstatSync(path))
    if (problem) return problem
  }
  for (const path of ancestors(realpathSync(dir))) {
    const problem = aboveProblem(path, statSync(path))
    if (problem) return problem
  }
  return null
}

/** A reason's message parameters: the path, and the uid, mode, account, rights or error it names. */
function reasonParams(problem: UnsafeReason): Params {
  const params: Params = {path: problem.path}
  if (problem.reason === 'owner') params.uid = problem.uid
  if (problem.reason === 'writable') params.mode = problem.mode
  if (problem.reason === 'aclOwner' || problem.reason === 'aclWritable') params.account = accountLabel(problem.sid)
  if (problem.reason === 'aclWritable') params.rights = problem.rights
  if (problem.reason === 'aclUnreadable' || problem.reason === 'aclUnchecked') params.error = problem.error
  return params
}

/** The UserError for `dir`, its reason as the translated detail. `key`: the sentence around it (Windows says administrator, not root). */
export function unsafeDirError(dir: string, problem: UnsafeReason, key: MessageKey = 'os.unsafeFolder'): UserError {
  return new UserError(key, {dir}, EXIT.error, {key: `os.unsafeFolder.${problem.reason}`, params: reasonParams(problem)})
}

/**
 * When running as root on POSIX: throws a UserError naming `dir` and why unless root owns it and
 * no one else can write it or any folder above it. Otherwise (not root, Windows): nothing.
 */
export function assertRootOwnedDir(dir: string, platform: NodeJS.Platform = process.platform): void {
  if (!runsAsPosixRoot(platform)) return
  const problem = unsafeDirReason(dir, platform)
  if (problem) throw unsafeDirError(dir, problem)
}

/** The nearest folder of `dir` (or above it) that exists, and the ones below it to create, outermost first. */
export function missingFolders(dir: string): {existing: string; missing: string[]} {
  const missing: string[] = []
  let existing = resolve(dir)
  while (!lstatSync(existing, {throwIfNoEntry: false})) {
    missing.unshift(existing)
    if (dirname(existing) === existing) break
    existing = dirname(existing)
  }
  return {existing, missing}
}

/**
 * Creates the folder `dir` (mode `mode`; its parent must exist) and checks with lstat that what
 * is there now is a real folder: a link or a file in its place is refused, never followed.
 */
export function mkdirNoFollow(dir: string, mode = 0o700): void {
  try {
    mkdirSync(dir, {mode})
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const info = lstatSync(dir)
  if (info.isSymbolicLink()) throw unsafeDirError(dir, {path: dir, reason: 'link'})
  if (!info.isDirectory()) throw unsafeDirError(dir, {path: dir, reason: 'notFolder'})
}

/**
 * A folder root may write into, made as mkdir -p would: as root on POSIX, the nearest existing
 * folder is checked (assertRootOwnedDir) before anything is created below it, so nothing is made
 * through a planted link; each missing folder is created with mkdirNoFollow, and the result
 * checked again. Not root, or Windows: only the no-follow creation.
 */
export function ensureRootDir(dir: string, mode = 0o700): void {
  const {existing, missing} = missingFolders(dir)
  if (missing.length > 0) assertRootOwnedDir(existing)
  for (const folder of missing) mkdirNoFollow(folder, mode)
  mkdirNoFollow(dir, mode)
  assertRootOwnedDir(dir)
}

/**
 * Writes `data` to a file that must not exist yet: O_CREAT|O_EXCL|O_NOFOLLOW, so a file, a link
 * or a dangling link already at `path` is refused (EEXIST) and nothing is written through it.
 * The mode is set with fchmod (open's is filtered by the umask).
 */
export async function writeNewFile(path: string, data: Buffer | string, mode = 0o600): Promise<void> {
  const handle = await open(path, CREATE_NEW_FLAGS, mode)
  try {
    if (process.platform !== 'win32') await handle.chmod(mode)
    await handle.writeFile(data)
  } finally {
    await handle.close()
  }
}

/** The same, synchronously. */
export function writeNewFileSync(path: string, data: Buffer | string, mode = 0o600): void {
  const fd = openSync(path, CREATE_NEW_FLAGS, mode)
  try {
    if (process.platform !== 'win32') fchmodSync(fd, mode)
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at)
  } finally {
    closeSync(fd)
  }
}
