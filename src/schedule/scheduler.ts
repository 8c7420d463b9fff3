// Picks the platform's scheduler, wired to the real machine unless told otherwise, and adds what
// nm-guard itself recorded about the scheduled runs (the failure log) to its status.
import {homedir, tmpdir} from 'node:os'
import {win32} from 'node:path'

import {stateDir as defaultStateDir} from '../config/state-dir.js'
import {isAdmin} from '../os/is-admin.js'
import {currentPlatform} from '../os/platform.js'
import {exec as realExec} from '../os/spawn.js'
import {windowsSystemRoot} from '../os/system-root.js'
import {withToolPaths} from '../os/tools.js'
import type {Platform} from '../os/types.js'
import {newestFailure} from './failure-log.js'
import {darwinScheduler} from './schedule.darwin.js'
import {linuxScheduler} from './schedule.linux.js'
import {win32Scheduler} from './schedule.win32.js'
import {assertTrustedChain, type ChainFs, realChainFs} from './trusted-chain.js'
import type {PlatformScheduler, Scheduler, SchedulerEnv} from './types.js'

export interface SchedulerOverrides extends Partial<SchedulerEnv> {
  /** Where the failure log is read (default: stateDir()). */
  stateDir?: string
  /** Where the Windows task XML is written, in a fresh folder (default: see below). */
  tempParent?: string
  now?: () => Date
  /**
   * What the elevated install's owner check reads (default: the real file system). For unit tests
   * only: an API option, never an environment variable, so whoever starts the CLI cannot turn it off.
   */
  chainFs?: ChainFs
}

/**
 * Elevated on Windows: %SystemRoot%\Temp, where users may create files but not touch an
 * administrator's (a folder made there inherits SYSTEM/Administrators-only access). Otherwise the
 * user's own temp folder: the task then runs as that user, so nothing is gained by swapping the XML.
 * Planning a Windows task on another OS (tests) uses this OS's temp folder.
 */
export function taskTempParent(admin: boolean, hostPlatform: NodeJS.Platform = process.platform): string {
  return admin && hostPlatform === 'win32' ? win32.join(windowsSystemRoot(), 'Temp') : tmpdir()
}

export async function openScheduler(platform: Platform = currentPlatform(), overrides: SchedulerOverrides = {}): Promise<Scheduler> {
  const exec = withToolPaths(overrides.exec ?? realExec, platform)
  const env: SchedulerEnv = {
    admin: overrides.admin ?? (await isAdmin(platform, exec)),
    exec,
    // NMG_SCHEDULE_ROOT puts every file the schedule writes under another root (tests, image builds).
    fsRoot: overrides.fsRoot ?? process.env.NMG_SCHEDULE_ROOT ?? '',
    home: overrides.home ?? homedir(),
    uid: overrides.uid ?? (typeof process.getuid === 'function' ? process.getuid() : 0),
  }
  let backend: PlatformScheduler
  if (platform === 'win32') backend = win32Scheduler(env, {now: overrides.now, tempParent: overrides.tempParent ?? taskTempParent(env.admin)})
  else if (platform === 'darwin') backend = darwinScheduler(env)
  else backend = linuxScheduler(env)
  const dir = overrides.stateDir ?? defaultStateDir(process.env, platform)
  const chainFs = overrides.chainFs ?? realChainFs
  return {
    async install(plan) {
      // Elevated, the schedule runs as root/SYSTEM: never code a user could change (trusted-chain.ts).
      if (env.admin) assertTrustedChain(plan.command, chainFs, platform)
      return backend.install(plan)
    },
    remove: () => backend.remove(),
    async status() {
      return {...(await backend.status()), lastFailure: newestFailure(dir)}
    },
  }
}
