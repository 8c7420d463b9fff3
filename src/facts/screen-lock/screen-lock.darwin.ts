// macOS: `sysadminctl -screenLock status` (macOS 13+, printed on stderr) says whether a password
// is asked once the screen saver starts or the display sleeps, and after what delay. What starts
// it on idle: the screen saver (`defaults -currentHost read com.apple.screensaver idleTime`,
// seconds, 0 = never) or display sleep (`pmset -g` displaysleep, minutes, 0 = never), whichever
// comes first. These are per-user settings of the console user: when running as root they are
// read as that user.
import {TOOLS} from '../../os/tools.darwin.js'
import {FactError} from '../../os/fact-error.js'
import type {CollectContext, ExecResult, Row} from '../types.js'

export type LockDelay = {off: true} | {off: false; seconds: number}

/** "screenLock delay is 300 seconds" / "… is immediate" / "screenLock is off" / "… is -1.000000 seconds" (off). */
export function parseScreenLockStatus(text: string): LockDelay | null {
  if (/screenLock is off/i.test(text)) return {off: true}
  if (/screenLock delay is immediate/i.test(text)) return {off: false, seconds: 0}
  const m = /screenLock delay is (-?\d+(?:\.\d+)?) seconds?/i.exec(text)
  if (!m) return null
  const seconds = Number(m[1])
  return seconds < 0 ? {off: true} : {off: false, seconds: Math.round(seconds)}
}

/** `defaults read` of idleTime: seconds, null when the key is unset (the output is an error). */
export function parseIdleTime(text: string): null | number {
  const m = /^\s*(\d+)\s*$/.exec(text)
  return m ? Number(m[1]) : null
}

/** `pmset -g`: the "displaysleep  10" line, in minutes. */
export function parseDisplaySleep(text: string): null | number {
  const m = /^\s*displaysleep\s+(\d+)/m.exec(text)
  return m ? Number(m[1]) : null
}

/** `stat -f '%Su %u' /dev/console` → who sits at the screen ("root" at the login window). */
export function parseConsoleUser(text: string): null | {name: string; uid: number} {
  const m = /^(\S+) (\d+)\s*$/.exec(text.trim())
  return m ? {name: m[1] as string, uid: Number(m[2])} : null
}

export interface ScreenLockInputs {
  user: null | string
  delay: LockDelay
  idleSeconds: null | number
  displaySleepMinutes: null | number
}

export function screenLockRow(input: ScreenLockInputs): Row {
  const base = {source: 'sysadminctl', user: input.user}
  if (input.delay.off) return {...base, enabled: false, lock_delay_seconds: null, timeout_seconds: null}
  const known = [input.idleSeconds, input.displaySleepMinutes === null ? null : input.displaySleepMinutes * 60]
  const triggers = known.filter((v): v is number => v !== null && v > 0)
  const allKnown = known.every((v) => v !== null)
  const delay = input.delay.seconds
  if (triggers.length === 0) {
    // Neither the screen saver nor display sleep ever starts: the screen never locks on idle.
    return {...base, enabled: allKnown ? false : null, lock_delay_seconds: delay, timeout_seconds: null}
  }
  return {...base, enabled: true, lock_delay_seconds: delay, timeout_seconds: Math.min(...triggers) + delay}
}

export async function collect(ctx: CollectContext): Promise<Row[]> {
  const [admin, consoleStat] = await Promise.all([
    ctx.isAdmin(),
    ctx.exec(TOOLS.stat, ['-f', '%Su %u', '/dev/console'], {timeoutMs: 5000}).catch(() => null),
  ])
  const seat = consoleStat?.code === 0 ? parseConsoleUser(consoleStat.stdout) : null
  const asConsoleUser = admin && seat !== null && seat.uid !== 0
  // Root reads the console user's settings inside that user's login session.
  const run = (file: string, args: string[]): Promise<ExecResult> =>
    asConsoleUser && seat
      ? ctx.exec(TOOLS.launchctl, ['asuser', String(seat.uid), TOOLS.sudo, '-n', '-u', seat.name, file, ...args], {timeoutMs: 10_000})
      : ctx.exec(file, args, {timeoutMs: 10_000})
  const [status, idle, pmset] = await Promise.all([
    run(TOOLS.sysadminctl, ['-screenLock', 'status']),
    run(TOOLS.defaults, ['-currentHost', 'read', 'com.apple.screensaver', 'idleTime']),
    ctx.exec(TOOLS.pmset, ['-g'], {timeoutMs: 5000}).catch(() => null),
  ])
  const text = `${status.stderr}\n${status.stdout}`
  const delay = parseScreenLockStatus(text)
  if (!delay) {
    const first = text.trim().split('\n')[0]?.slice(0, 200) ?? ''
    throw new FactError(/not permitted|denied|authori[sz]/i.test(text) ? 'permission' : 'failed', `sysadminctl -screenLock status: unexpected output${first ? `: ${first}` : ''}`)
  }
  return [
    screenLockRow({
      delay,
      displaySleepMinutes: pmset?.code === 0 ? parseDisplaySleep(pmset.stdout) : null,
      idleSeconds: idle.code === 0 ? parseIdleTime(idle.stdout) : null,
      user: asConsoleUser && seat ? seat.name : (ctx.env.USER ?? seat?.name ?? null),
    }),
  ]
}
