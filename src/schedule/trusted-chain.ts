// An elevated schedule runs node and bin/run.js as root (SYSTEM on Windows) every day. If a user
// can change either file, or any folder above them (rename it away and put their own in its
// place), that user's code runs as root. So before root's timer is written, every path of the
// chain, links resolved, must be owned by root and writable by no one else: the packaged install
// (/usr/lib/nm-guard) or a root-owned npm prefix is; a checkout in a user's home is not.
import {lstatSync, realpathSync} from 'node:fs'
import {posix} from 'node:path'

import {UserError} from '../cli/user-error.js'
import type {LocalText} from '../i18n/messages.js'

export interface ChainStat {
  uid: number
  mode: number
}

/** What the check reads of the file system: injected so the rule is tested without root-owned fixtures. */
export interface ChainFs {
  /** Every link resolved (throws when the path does not exist). */
  realpath(path: string): string
  /** The entry itself, not what a link points to. */
  lstat(path: string): ChainStat
}

export type ChainProblem =
  | {path: string; reason: 'missing'}
  | {path: string; reason: 'owner'; uid: number}
  | {mode: string; path: string; reason: 'writable'}

/** Group or others may write. */
const WRITABLE_BY_OTHERS = 0o022
const STICKY = 0o1000

/** The file and each folder above it, up to /. */
function chainOf(real: string): string[] {
  const paths = [real]
  let current = real
  while (posix.dirname(current) !== current) {
    current = posix.dirname(current)
    paths.push(current)
  }
  return paths
}

/**
 * The first path of `files`' chains root cannot trust, or null when all can be trusted. Windows:
 * stat has no owner there (ACLs decide), so nothing is refused; the structure stays for when an
 * ACL check is added.
 */
export function untrustedInChain(files: readonly string[], fs: ChainFs, platform: NodeJS.Platform = process.platform): ChainProblem | null {
  if (platform === 'win32') return null
  for (const file of files) {
    let real: string
    try {
      real = fs.realpath(file)
    } catch {
      return {path: file, reason: 'missing'}
    }
    for (const path of chainOf(real)) {
      let info: ChainStat
      try {
        info = fs.lstat(path)
      } catch {
        return {path, reason: 'missing'}
      }
      if (info.uid !== 0) return {path, reason: 'owner', uid: info.uid}
      // A sticky folder (/tmp) lets users add entries but not rename or remove root's: the path
      // below it stays root's. The file itself and its own folder get no such allowance.
      const stickyAncestor = path !== real && path !== posix.dirname(real) && (info.mode & STICKY) !== 0
      if ((info.mode & WRITABLE_BY_OTHERS) !== 0 && !stickyAncestor) return {mode: (info.mode & 0o7777).toString(8).padStart(4, '0'), path, reason: 'writable'}
    }
  }
  return null
}

export const realChainFs: ChainFs = {
  lstat: (path) => lstatSync(path),
  realpath: (path) => realpathSync(path),
}

/**
 * Throws when root's schedule would run code a user can change: `command` is the plan's node and
 * bin/run.js first. The reason (which path, why) is the translated detail.
 */
export function assertTrustedChain(command: readonly string[], fs: ChainFs = realChainFs, platform: NodeJS.Platform = process.platform): void {
  const problem = untrustedInChain(command.slice(0, 2), fs, platform)
  if (problem === null) return
  const detail: LocalText =
    problem.reason === 'owner'
      ? {key: 'schedule.error.untrustedOwner', params: {path: problem.path, uid: problem.uid}}
      : problem.reason === 'writable'
        ? {key: 'schedule.error.untrustedWritable', params: {mode: problem.mode, path: problem.path}}
        : {key: 'schedule.error.untrustedMissing', params: {path: problem.path}}
  throw new UserError('schedule.error.untrustedCode', {path: problem.path}, undefined, detail)
}
