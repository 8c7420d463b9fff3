// Folders an elevated nm-guard writes into on Windows (#11 2.1): no owner or mode to lstat; the
// ACLs of the folder and of every folder above it decide (folder-acl.ts). Reading them starts a
// PowerShell (about half a second), so each folder is read once per command run: per exec, which a
// run builds once. POSIX folders are safe-dir.ts's.
import {mkdirSync} from 'node:fs'

import {assertRootOwnedDir, missingFolders, mkdirNoFollow, unsafeDirError, type UnsafeReason} from './safe-dir.js'
import type {Exec} from './types.js'

export interface AdminDirOptions {
  platform: NodeJS.Platform
  /** The run's exec (with tool paths): readings are kept per exec, so per run. */
  exec: Exec
}

const aclReadings = new WeakMap<Exec, Map<string, Promise<UnsafeReason | null>>>()

/** Why an elevated nm-guard must not write into `dir` ('folder') or create a folder in it ('above'); Windows only, once per run. */
function windowsProblem(dir: string, role: 'above' | 'folder', exec: Exec): Promise<UnsafeReason | null> {
  let run = aclReadings.get(exec)
  if (!run) aclReadings.set(exec, (run = new Map()))
  const key = `${role}:${dir}`
  let reading = run.get(key)
  if (!reading) {
    // Loaded on Windows only: the PowerShell runner is no concern of a POSIX write.
    reading = import('./folder-acl.win32.js')
      .then(({windowsFolderProblem}) => windowsFolderProblem(dir, role, exec))
      .catch((error: Error): UnsafeReason => ({error: error.message, path: dir, reason: 'aclUnchecked'}))
    run.set(key, reading)
  }
  return reading
}

/**
 * On Windows: throws a UserError naming `dir` and why unless it is a real folder that only
 * Administrators, SYSTEM or TrustedInstaller own and may change, under folders no one else can
 * swap (folder-acl.ts). A reading that could not be had is refused too. Elsewhere: nothing.
 */
export async function assertAdminOwnedDir(dir: string, options: AdminDirOptions): Promise<void> {
  if (options.platform !== 'win32') return
  const problem = await windowsProblem(dir, 'folder', options.exec)
  if (problem) throw unsafeDirError(dir, problem, 'os.unsafeFolderAdmin')
}

/**
 * ensureRootDir for a folder an elevated nm-guard writes into on any platform: the POSIX checks
 * (where this host has them) and, on Windows, the ACL checks, both on the nearest existing folder
 * before anything is created below it and on `dir` once made.
 */
export async function ensureAdminDir(dir: string, options: AdminDirOptions & {mode?: number}): Promise<void> {
  const mode = options.mode ?? 0o700
  const {existing, missing} = missingFolders(dir)
  if (missing.length > 0) {
    assertRootOwnedDir(existing)
    await assertAdminOwnedDir(existing, options)
  }
  for (const folder of missing) mkdirNoFollow(folder, mode)
  mkdirNoFollow(dir, mode)
  assertRootOwnedDir(dir)
  await assertAdminOwnedDir(dir, options)
}

/**
 * Windows: the state folder an elevated nm-guard keeps its journal, caches and queue in. One it
 * finds is checked as it is. One it does not find is made here, after the folders above are
 * checked (no one else may swap it while it is being set up), and given `lockDown` (provisioning's
 * ACL: src/agent/install/lock-down.win32.ts) before anything is written in it, then checked: a new
 * folder under %ProgramData% would otherwise inherit the users' right to create entries in it.
 * Returns why it must not be written into, or null; `aclUnchecked` when no reading could be had.
 * Not Windows: null (each folder root writes there is checked by ensureRootDir).
 */
export async function ensureAdminStateDir(dir: string, options: AdminDirOptions & {lockDown: (dir: string) => Promise<unknown>}): Promise<UnsafeReason | null> {
  if (options.platform !== 'win32') return null
  const {existing, missing} = missingFolders(dir)
  if (missing.length > 0) {
    const above = await windowsProblem(existing, 'above', options.exec)
    if (above) return above
    for (const folder of missing.slice(0, -1)) mkdirNoFollow(folder)
    let made = true
    try {
      mkdirSync(dir)
    } catch (error) {
      // Made by someone else since: not ours to take over, only to check.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      made = false
    }
    mkdirNoFollow(dir)
    if (made) await options.lockDown(dir)
  }
  return windowsProblem(dir, 'folder', options.exec)
}
