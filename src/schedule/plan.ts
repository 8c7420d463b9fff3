// The pure parts shared by every platform: parsing --time, the per-host offset, the command line.
import {createHash} from 'node:crypto'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {UserError} from '../cli/user-error.js'
import {EXIT} from '../cli/exit-codes.js'
import {packageRoot} from '../config/package-root.js'
import type {SchedulePlan, TimeOfDay} from './types.js'

/**
 * Midday by default: office PCs are switched off at night, and cron does not catch up a missed run
 * (systemd's Persistent=, launchd and the Windows task's StartWhenAvailable do).
 */
export const DEFAULT_TIME = '12:30'

/** Fleet spread window, in minutes. */
export const SPREAD_MINUTES = 30

export const PASSED_ENV = ['NMG_STATE_DIR', 'NMG_CONFIG_DIR'] as const

/** What the scheduler runs after node and bin/run.js; --scheduled makes a failed run leave a line in the failure log. */
export const SCHEDULED_ARGS = ['audit', '--report', '--scheduled'] as const

export function parseTime(text: string): TimeOfDay {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim())
  if (!m) throw new UserError('schedule.error.badTime', {value: text}, EXIT.usage)
  return {hour: Number(m[1]), minute: Number(m[2])}
}

export const formatTime = ({hour, minute}: TimeOfDay): string => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`

/**
 * A stable offset from the host name: every PC of a fleet installed with the same --time would
 * otherwise post to the collector in the same second. Stable (not random per install) so that
 * re-installing does not move a host's run around and status stays predictable.
 */
export function hostOffsetMinutes(host: string = hostname()): number {
  return createHash('sha256').update(host).digest().readUInt32BE(0) % SPREAD_MINUTES
}

export function shiftTime({hour, minute}: TimeOfDay, minutes: number): TimeOfDay {
  const total = (hour * 60 + minute + minutes) % (24 * 60)
  return {hour: Math.floor(total / 60), minute: total % 60}
}

export function buildPlan(options: {time: string; env?: Record<string, string | undefined>; host?: string; execPath?: string; binPath?: string}): SchedulePlan {
  const env = options.env ?? process.env
  const passed: Record<string, string> = {}
  for (const name of PASSED_ENV) {
    const value = env[name]
    if (value) passed[name] = value
  }
  return {
    command: [options.execPath ?? process.execPath, options.binPath ?? join(packageRoot(), 'bin', 'run.js'), ...SCHEDULED_ARGS],
    env: passed,
    offsetMinutes: hostOffsetMinutes(options.host),
    time: parseTime(options.time),
  }
}

/** `root` + an absolute path; '' and '/' mean the real file system. */
export const underRoot = (root: string, path: string): string => (root === '' || root === '/' ? path : join(root, path))
