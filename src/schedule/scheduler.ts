// Picks the platform's scheduler, wired to the real machine unless told otherwise.
import {homedir} from 'node:os'

import {stateDir} from '../config/state-dir.js'
import {isAdmin} from '../os/is-admin.js'
import {currentPlatform} from '../os/platform.js'
import {exec as realExec} from '../os/spawn.js'
import {withToolPaths} from '../os/tools.js'
import type {Platform} from '../os/types.js'
import {darwinScheduler} from './schedule.darwin.js'
import {linuxScheduler} from './schedule.linux.js'
import {win32Scheduler} from './schedule.win32.js'
import type {Scheduler, SchedulerEnv} from './types.js'

export async function openScheduler(platform: Platform = currentPlatform(), overrides: Partial<SchedulerEnv> = {}): Promise<Scheduler> {
  const exec = withToolPaths(overrides.exec ?? realExec, platform)
  const env: SchedulerEnv = {
    admin: overrides.admin ?? (await isAdmin(platform, exec)),
    exec,
    // NMG_SCHEDULE_ROOT puts every file the schedule writes under another root (tests, image builds).
    fsRoot: overrides.fsRoot ?? process.env.NMG_SCHEDULE_ROOT ?? '',
    home: overrides.home ?? homedir(),
    uid: overrides.uid ?? (typeof process.getuid === 'function' ? process.getuid() : 0),
  }
  if (platform === 'win32') return win32Scheduler(env, stateDir(process.env, platform))
  if (platform === 'darwin') return darwinScheduler(env)
  return linuxScheduler(env)
}
