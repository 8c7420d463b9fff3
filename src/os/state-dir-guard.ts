// #11 2.1 on Windows for every elevated writer of the state folder (journal, caches, last report,
// queue, failure log): its ACLs are read once per process, before the first write, and a folder
// another account can change is refused. POSIX needs none of this here: each writer's
// ensureRootDir already checks owner and mode, synchronously and for nothing.
import {resolve} from 'node:path'

import {stateDir} from '../config/state-dir.js'
import type {Lang} from '../i18n/lang.js'
import {t} from '../i18n/messages.js'
import {ensureAdminStateDir} from './admin-dir.js'
import {isAdmin} from './is-admin.js'
import {currentPlatform} from './platform.js'
import {unsafeDirError, type UnsafeReason} from './safe-dir.js'
import {exec as realExec} from './spawn.js'
import {withToolPaths} from './tools.js'
import type {Exec, Platform} from './types.js'

/** The sentence around an unsafe state folder's reason: what to do (provision takes it over). */
export const UNSAFE_STATE_FOLDER = 'os.unsafeStateFolder'

/**
 * Windows: why an elevated nm-guard must not write into the state folder `dir`, or null; one it
 * does not find is made and locked down as provisioning does (ensureAdminStateDir). `aclUnchecked`:
 * no reading could be had. Elsewhere: null, nothing run.
 */
export async function stateDirProblem(dir: string, options: {exec: Exec; platform: Platform}): Promise<UnsafeReason | null> {
  if (options.platform !== 'win32') return null
  const exec = withToolPaths(options.exec, 'win32')
  // Loaded on Windows only, as the ACL reading itself.
  const {lockDown} = await import('../agent/install/lock-down.win32.js')
  return ensureAdminStateDir(dir, {exec, lockDown: (folder) => lockDown(exec, folder), platform: 'win32'})
}

export interface StateDirGuardOptions {
  lang: Lang
  /** The state folder (default: stateDir()). */
  dir?: string
  /**
   * The platform this process runs on (default: this one's). Never a replayed snapshot's or a
   * recording's: what is guarded is this PC's own folder.
   */
  platform?: Platform
  /** Runs whoami and PowerShell (default: the real one, with tool paths). */
  exec?: Exec
  /** Whether the token is elevated, when the caller already knows (it required administrator rights). */
  admin?: boolean
}

interface Check {
  problem: Promise<UnsafeReason | null>
  warned: boolean
}

/** Per exec, so per process for the real one (tests bring their own), then per folder. */
const checks = new WeakMap<Exec, Map<string, Check>>()
let defaultExec: Exec | undefined

/**
 * Before the first write into the state folder by a command that may run elevated. On Windows,
 * elevated: throws the UserError os.unsafeStateFolder when another account can change the folder
 * or one above it; returns a translated warning, once per process, when its ACLs could not be
 * read. Not elevated, or not Windows: null, nothing checked (no PowerShell started).
 */
export async function guardStateDir(options: StateDirGuardOptions): Promise<null | string> {
  const platform = options.platform ?? currentPlatform()
  if (platform !== 'win32') return null
  // One check per folder, however a caller spells it (the queue's parent, NMG_STATE_DIR with a trailing slash).
  const dir = resolve(options.dir ?? stateDir())
  const exec = options.exec ?? (defaultExec ??= withToolPaths(realExec, 'win32'))
  let run = checks.get(exec)
  if (!run) checks.set(exec, (run = new Map()))
  let check = run.get(dir)
  if (!check) {
    const admin = options.admin === undefined ? isAdmin('win32', withToolPaths(exec, 'win32')) : Promise.resolve(options.admin)
    check = {problem: admin.then((elevated) => (elevated ? stateDirProblem(dir, {exec, platform}) : null)), warned: false}
    run.set(dir, check)
  }
  const problem = await check.problem
  if (!problem) return null
  if (problem.reason !== 'aclUnchecked') throw unsafeDirError(dir, problem, UNSAFE_STATE_FOLDER)
  // No reading at all (PowerShell missing, blocked by policy as on many government PCs, timed out)
  // is said, not refused: refusing would stop the daily audit and the reports on every such PC,
  // for a folder provisioning locked down or this code made. A folder read as unsafe is refused.
  if (check.warned) return null
  check.warned = true
  return t(options.lang, 'os.stateDirUnchecked', {dir, error: problem.error})
}
