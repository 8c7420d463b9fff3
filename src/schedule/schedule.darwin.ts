// macOS: a launchd job with StartCalendarInterval — a LaunchDaemon as root, a LaunchAgent otherwise —
// loaded with `launchctl bootstrap` and read back with `launchctl print`.
import {existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {UserError} from '../cli/user-error.js'
import {writeFileAtomicSync} from '../os/atomic-write.js'
import {FactError} from '../os/fact-error.js'
import {formatTime, shiftTime, underRoot} from './plan.js'
import type {InstallOutcome, PlatformScheduler, PlatformStatus, RemoveOutcome, SchedulePlan, SchedulerEnv} from './types.js'

export const LABEL = 'org.nm-guard.daily-audit'

const xml = (s: string): string => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;')

/**
 * The job's plist. launchd has no random delay for calendar jobs, so the per-host offset is added
 * to the time: a fleet installed with the same --time would otherwise post in the same second.
 */
export function launchdPlist(plan: SchedulePlan): string {
  const at = shiftTime(plan.time, plan.offsetMinutes)
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">',
    '<!-- Written by `nm-guard schedule install`: run it again to change, `nm-guard schedule remove` to delete. -->',
    '<plist version="1.0">',
    '<dict>',
    '\t<key>Label</key>',
    `\t<string>${LABEL}</string>`,
    '\t<key>ProgramArguments</key>',
    '\t<array>',
    ...plan.command.map((w) => `\t\t<string>${xml(w)}</string>`),
    '\t</array>',
  ]
  const env = Object.entries(plan.env)
  if (env.length > 0) {
    lines.push('\t<key>EnvironmentVariables</key>', '\t<dict>')
    for (const [name, value] of env) lines.push(`\t\t<key>${xml(name)}</key>`, `\t\t<string>${xml(value)}</string>`)
    lines.push('\t</dict>')
  }
  lines.push(
    '\t<key>StartCalendarInterval</key>',
    '\t<dict>',
    '\t\t<key>Hour</key>',
    `\t\t<integer>${at.hour}</integer>`,
    '\t\t<key>Minute</key>',
    `\t\t<integer>${at.minute}</integer>`,
    '\t</dict>',
    // Background: launchd may throttle it, which suits a daily audit on a machine in use.
    '\t<key>ProcessType</key>',
    '\t<string>Background</string>',
    '\t<key>StandardOutPath</key>',
    '\t<string>/dev/null</string>',
    '</dict>',
    '</plist>',
    '',
  )
  return lines.join('\n')
}

export const domainOf = (admin: boolean, uid: number): string => (admin ? 'system' : `gui/${uid}`)
export const bootstrapArgs = (domain: string, plistPath: string): string[] => ['bootstrap', domain, plistPath]
export const bootoutArgs = (domain: string): string[] => ['bootout', `${domain}/${LABEL}`]
export const printArgs = (domain: string): string[] => ['print', `${domain}/${LABEL}`]

/** `launchctl print <domain>/<label>` output → the time of its calendar trigger and its last exit code. */
export function parseLaunchctlPrint(text: string): {time: string | null; lastResult: string | null} {
  const hour = /"Hour"\s*=>\s*(\d+)/.exec(text)?.[1]
  const minute = /"Minute"\s*=>\s*(\d+)/.exec(text)?.[1]
  const exit = /^\s*last exit code = (.+)$/m.exec(text)?.[1]?.trim()
  return {
    // "(never exited)" before the first run.
    lastResult: exit === undefined || exit.startsWith('(') ? null : `exit ${exit}`,
    time: hour !== undefined && minute !== undefined ? formatTime({hour: Number(hour), minute: Number(minute)}) : null,
  }
}

/** The time from our own plist, for when launchctl does not know the job (not loaded). */
export function timeFromPlist(text: string): string | null {
  const hour = /<key>Hour<\/key>\s*<integer>(\d+)<\/integer>/.exec(text)?.[1]
  const minute = /<key>Minute<\/key>\s*<integer>(\d+)<\/integer>/.exec(text)?.[1]
  return hour !== undefined && minute !== undefined ? formatTime({hour: Number(hour), minute: Number(minute)}) : null
}

export function darwinScheduler(env: SchedulerEnv): PlatformScheduler {
  const path = underRoot(env.fsRoot, env.admin ? `/Library/LaunchDaemons/${LABEL}.plist` : join(env.home, 'Library', 'LaunchAgents', `${LABEL}.plist`))
  const domain = domainOf(env.admin, env.uid)
  const base = {location: path, mechanism: 'launchd' as const}
  const launchctl = async (args: string[]): Promise<{code: number | null; stdout: string; stderr: string}> => {
    try {
      return await env.exec('launchctl', args, {timeoutMs: 30_000})
    } catch (error) {
      if (error instanceof FactError && error.kind === 'missing_tool') throw new UserError('schedule.error.missingTool', {tool: 'launchctl'})
      throw error
    }
  }
  return {
    async install(plan: SchedulePlan): Promise<InstallOutcome> {
      const replaced = existsSync(path)
      // bootstrap refuses a label that is already loaded: unload the old job first (it may not be loaded).
      if (replaced) await launchctl(bootoutArgs(domain))
      mkdirSync(dirname(path), {recursive: true})
      // A new file renamed over the old one: never written through a link planted at `path` (#11 2.1).
      writeFileAtomicSync(path, launchdPlist(plan), 0o644)
      const r = await launchctl(bootstrapArgs(domain, path))
      if (r.code !== 0) throw new UserError('schedule.error.command', {command: ['launchctl', ...bootstrapArgs(domain, path)].join(' '), detail: r.stderr.trim().split('\n')[0] ?? ''})
      return {...base, elevated: env.admin, replaced, time: formatTime(shiftTime(plan.time, plan.offsetMinutes))}
    },
    async remove(): Promise<RemoveOutcome> {
      if (!existsSync(path)) return {...base, removed: false}
      await launchctl(bootoutArgs(domain))
      rmSync(path)
      return {...base, removed: true}
    },
    async status(): Promise<PlatformStatus> {
      if (!existsSync(path)) return {...base, installed: false, lastResult: null, lastRun: null, nextRun: null, time: null}
      const r = await launchctl(printArgs(domain))
      const printed = r.code === 0 ? parseLaunchctlPrint(r.stdout) : {lastResult: null, time: null}
      // launchd says neither when a calendar job runs next nor when it last ran.
      return {...base, installed: true, lastResult: printed.lastResult, lastRun: null, nextRun: null, time: printed.time ?? timeFromPlist(readFileSync(path, 'utf8'))}
    },
  }
}
