// Linux: a systemd timer + service when systemd runs (system units as root, user units otherwise),
// else cron (/etc/cron.d/nm-guard as root, the user's crontab otherwise). Generators are pure;
// the backend below only writes their text and runs systemctl / crontab.
import {existsSync, mkdirSync, readFileSync, rmSync} from 'node:fs'
import {dirname, join} from 'node:path'

import {UserError} from '../cli/user-error.js'
import {writeFileAtomicSync} from '../os/atomic-write.js'
import {FactError} from '../os/fact-error.js'
import {formatTime, SPREAD_MINUTES, shiftTime, underRoot} from './plan.js'
import type {InstallOutcome, PlatformScheduler, PlatformStatus, RemoveOutcome, SchedulePlan, SchedulerEnv} from './types.js'

export const UNIT = 'nm-guard-audit'
export const CRON_D_FILE = '/etc/cron.d/nm-guard'
/** Where a package's units live (the deb's nm-guard-audit.timer); `schedule remove` leaves them to dpkg. */
export const PACKAGE_UNIT_DIRS = ['/usr/lib/systemd/system', '/lib/systemd/system'] as const
export const CRON_BEGIN = '# BEGIN nm-guard schedule (written by `nm-guard schedule install`; do not edit by hand)'
export const CRON_END = '# END nm-guard schedule'
const HEADER = '# Written by `nm-guard schedule install`: run it again to change, `nm-guard schedule remove` to delete.'

// ---- systemd ---------------------------------------------------------------------------------

/** One ExecStart=/Environment= word: quoted, with systemd's specifier (%) and variable ($) escapes. */
export function systemdQuote(word: string, dollar = true): string {
  let s = word.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('%', '%%')
  if (dollar) s = s.replaceAll('$', '$$$$')
  return `"${s}"`
}

/** `header`: the first comment line, saying who wrote the unit (this command or a package). */
export function systemdService(plan: SchedulePlan, system: boolean, header = HEADER): string {
  const lines = [header, '[Unit]', 'Description=nm-guard daily compliance audit and report']
  // The user manager has no network-online.target; system units wait for the network so that the
  // report reaches the collector on the first try instead of going to the queue.
  if (system) lines.push('Wants=network-online.target', 'After=network-online.target')
  lines.push('', '[Service]', 'Type=oneshot')
  for (const [name, value] of Object.entries(plan.env)) lines.push(`Environment=${systemdQuote(`${name}=${value}`, false)}`)
  lines.push(`ExecStart=${plan.command.map((w) => systemdQuote(w)).join(' ')}`, '')
  return lines.join('\n')
}

export function systemdTimer(plan: SchedulePlan, header = HEADER): string {
  return [
    header,
    '[Unit]',
    'Description=Daily nm-guard audit and report',
    '',
    '[Timer]',
    `OnCalendar=*-*-* ${formatTime(plan.time)}:00`,
    // A fleet installed with the same --time would post to the collector in the same second:
    // systemd spreads the runs itself, and FixedRandomDelay keeps each host's delay stable.
    `RandomizedDelaySec=${SPREAD_MINUTES}min`,
    'FixedRandomDelay=true',
    // Office PCs are off at night: a missed run happens at the next boot.
    'Persistent=true',
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n')
}

/** `systemctl show -p A,B` output → {A: value}. */
export function parseSystemctlShow(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const i = line.indexOf('=')
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim()
  }
  return out
}

/** The last run's end and result from the service's properties; nulls when it never ran. */
export function systemdLastRun(props: Record<string, string>): {lastResult: string | null; lastRun: string | null} {
  const ran = props.ExecMainExitTimestamp && props.ExecMainExitTimestamp !== 'n/a'
  if (!ran) return {lastResult: null, lastRun: null}
  return {lastResult: `${props.Result ?? 'unknown'} (exit ${props.ExecMainStatus ?? '?'})`, lastRun: props.ExecMainExitTimestamp ?? null}
}

export const timeFromTimer = (text: string): string | null => /^OnCalendar=\*-\*-\* (\d\d:\d\d):00$/m.exec(text)?.[1] ?? null

// ---- cron ------------------------------------------------------------------------------------

/** A POSIX-shell single-quoted word, with cron's `%` (newline) escaped. */
export const shellQuote = (word: string): string => `'${word.replaceAll("'", "'\\''")}'`.replaceAll('%', '\\%')

/** The cron line; `user` only for /etc/cron.d. The per-host offset replaces systemd's random delay. */
export function cronLine(plan: SchedulePlan, user?: string): string {
  const at = shiftTime(plan.time, plan.offsetMinutes)
  const env = Object.entries(plan.env).map(([name, value]) => `${name}=${shellQuote(value)} `)
  // stdout is the report, already sent to the collector; stderr stays, for cron to mail.
  const cmd = `${env.join('')}${plan.command.map(shellQuote).join(' ')} >/dev/null`
  return [String(at.minute), String(at.hour), '*', '*', '*', ...(user ? [user] : []), cmd].join(' ')
}

export function cronDFile(plan: SchedulePlan): string {
  return [HEADER, 'SHELL=/bin/sh', 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', cronLine(plan, 'root'), ''].join('\n')
}

/** The crontab without our block (other lines kept byte for byte). */
export function stripCronBlock(crontab: string): string {
  const out: string[] = []
  let inside = false
  for (const line of crontab.split('\n')) {
    if (line === CRON_BEGIN) inside = true
    else if (line === CRON_END && inside) inside = false
    else if (!inside) out.push(line)
  }
  return out.join('\n')
}

export function withCronBlock(crontab: string, plan: SchedulePlan): string {
  const rest = stripCronBlock(crontab).replace(/\n*$/, '')
  return `${rest === '' ? '' : `${rest}\n`}${CRON_BEGIN}\n${cronLine(plan)}\n${CRON_END}\n`
}

/** Our cron line's time, from a cron.d file or a crontab; null when ours is not there. */
export function cronTime(text: string, user: boolean): string | null {
  const body = user ? (text.split(CRON_BEGIN)[1]?.split(CRON_END)[0] ?? '') : text
  const m = /^(\d+) (\d+) \* \* \* /m.exec(body)
  return m ? formatTime({hour: Number(m[2]), minute: Number(m[1])}) : null
}

// ---- backend ---------------------------------------------------------------------------------

export function systemdRunning(env: SchedulerEnv): boolean {
  return existsSync(underRoot(env.fsRoot, '/run/systemd/system'))
}

export function linuxScheduler(env: SchedulerEnv): PlatformScheduler {
  if (systemdRunning(env)) return systemdScheduler(env)
  return env.admin ? cronDScheduler(env) : userCronScheduler(env)
}

function writeAtomic(path: string, text: string, mode = 0o644): void {
  mkdirSync(dirname(path), {recursive: true})
  // cron ignores file names with a dot in /etc/cron.d, so it never reads the half-written temp; the
  // temp is created new (never through a planted link) and renamed over the old file (#11 2.1).
  writeFileAtomicSync(path, text, mode)
}

async function run(env: SchedulerEnv, file: string, args: string[], input?: string): Promise<{code: number | null; stdout: string; stderr: string}> {
  try {
    return await env.exec(file, args, {input, timeoutMs: 30_000})
  } catch (error) {
    if (error instanceof FactError && error.kind === 'missing_tool') throw new UserError('schedule.error.missingTool', {tool: file})
    throw error
  }
}

async function mustRun(env: SchedulerEnv, file: string, args: string[], input?: string): Promise<string> {
  const r = await run(env, file, args, input)
  if (r.code !== 0) throw new UserError('schedule.error.command', {command: [file, ...args].join(' '), detail: r.stderr.trim().split('\n')[0] ?? ''})
  return r.stdout
}

function systemdScheduler(env: SchedulerEnv): PlatformScheduler {
  const system = env.admin
  const dir = underRoot(env.fsRoot, system ? '/etc/systemd/system' : join(env.home, '.config', 'systemd', 'user'))
  const timerPath = join(dir, `${UNIT}.timer`)
  const servicePath = join(dir, `${UNIT}.service`)
  const ctl = (...args: string[]): string[] => (system ? args : ['--user', ...args])
  return {
    async install(plan: SchedulePlan): Promise<InstallOutcome> {
      const replaced = existsSync(timerPath)
      writeAtomic(servicePath, systemdService(plan, system))
      writeAtomic(timerPath, systemdTimer(plan))
      await mustRun(env, 'systemctl', ctl('daemon-reload'))
      // restart (not just start) so that a re-install picks up the new OnCalendar at once.
      await mustRun(env, 'systemctl', ctl('enable', `${UNIT}.timer`))
      await mustRun(env, 'systemctl', ctl('restart', `${UNIT}.timer`))
      return {elevated: system, location: timerPath, mechanism: 'systemd', replaced, time: formatTime(plan.time)}
    },
    async remove(): Promise<RemoveOutcome> {
      if (!existsSync(timerPath) && !existsSync(servicePath)) return {location: timerPath, mechanism: 'systemd', removed: false}
      await run(env, 'systemctl', ctl('disable', '--now', `${UNIT}.timer`))
      rmSync(timerPath, {force: true})
      rmSync(servicePath, {force: true})
      await mustRun(env, 'systemctl', ctl('daemon-reload'))
      return {location: timerPath, mechanism: 'systemd', removed: true}
    },
    async status(): Promise<PlatformStatus> {
      // The agent packages ship the same timer in the vendor folder; one in /etc overrides it.
      const found = [timerPath, ...(system ? PACKAGE_UNIT_DIRS.map((d) => join(underRoot(env.fsRoot, d), `${UNIT}.timer`)) : [])].find((p) => existsSync(p))
      const base = {location: found ?? timerPath, mechanism: 'systemd' as const}
      if (!found) return {...base, installed: false, lastResult: null, lastRun: null, nextRun: null, time: null}
      const timer = parseSystemctlShow((await run(env, 'systemctl', ctl('show', `${UNIT}.timer`, '-p', 'NextElapseUSecRealtime'))).stdout)
      const service = parseSystemctlShow((await run(env, 'systemctl', ctl('show', `${UNIT}.service`, '-p', 'Result,ExecMainStatus,ExecMainExitTimestamp'))).stdout)
      const next = timer.NextElapseUSecRealtime
      return {...base, installed: true, ...systemdLastRun(service), nextRun: next && next !== 'n/a' ? next : null, time: timeFromTimer(readFileSync(found, 'utf8'))}
    },
  }
}

function cronDScheduler(env: SchedulerEnv): PlatformScheduler {
  const path = underRoot(env.fsRoot, CRON_D_FILE)
  const base = {location: path, mechanism: 'cron' as const}
  return {
    async install(plan: SchedulePlan): Promise<InstallOutcome> {
      if (!existsSync(dirname(path))) throw new UserError('schedule.error.noCron', {dir: dirname(path)})
      const replaced = existsSync(path)
      writeAtomic(path, cronDFile(plan))
      return {...base, elevated: true, replaced, time: formatTime(shiftTime(plan.time, plan.offsetMinutes))}
    },
    async remove(): Promise<RemoveOutcome> {
      const removed = existsSync(path)
      rmSync(path, {force: true})
      return {...base, removed}
    },
    async status(): Promise<PlatformStatus> {
      const text = existsSync(path) ? readFileSync(path, 'utf8') : null
      // cron keeps no record of a job's result or its next run.
      return {...base, installed: text !== null, lastResult: null, lastRun: null, nextRun: null, time: text === null ? null : cronTime(text, false)}
    },
  }
}

function userCronScheduler(env: SchedulerEnv): PlatformScheduler {
  const base = {location: 'crontab', mechanism: 'cron' as const}
  const read = async (): Promise<string> => {
    const r = await run(env, 'crontab', ['-l'])
    if (r.code === 0) return r.stdout
    // "no crontab for <user>" is the empty crontab, not an error.
    if (/no crontab/i.test(r.stderr)) return ''
    throw new UserError('schedule.error.command', {command: 'crontab -l', detail: r.stderr.trim().split('\n')[0] ?? ''})
  }
  return {
    async install(plan: SchedulePlan): Promise<InstallOutcome> {
      const current = await read()
      await mustRun(env, 'crontab', ['-'], withCronBlock(current, plan))
      return {...base, elevated: env.admin, replaced: current.includes(CRON_BEGIN), time: formatTime(shiftTime(plan.time, plan.offsetMinutes))}
    },
    async remove(): Promise<RemoveOutcome> {
      const current = await read()
      if (!current.includes(CRON_BEGIN)) return {...base, removed: false}
      await mustRun(env, 'crontab', ['-'], stripCronBlock(current))
      return {...base, removed: true}
    },
    async status(): Promise<PlatformStatus> {
      const current = await read()
      const installed = current.includes(CRON_BEGIN)
      return {...base, installed, lastResult: null, lastRun: null, nextRun: null, time: installed ? cronTime(current, true) : null}
    },
  }
}
