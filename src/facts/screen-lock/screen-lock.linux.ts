// The idle screen lock of each user logged in to a graphical session (logind: Type x11/wayland).
// Settings are per user, in dconf: read with `gsettings` as that user (runuser when we are root),
// which reads the user's database file directly; KDE keeps them in ~/.config/kscreenlockerrc.
// Desktops: GNOME (and Ubuntu's), UKUI (银河麒麟), DDE (统信UOS / deepin), MATE, KDE Plasma.
import {existsSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {join} from 'node:path'

import {FactError, needsAdmin, unsupported} from '../../os/fact-error.js'
import {readUserFile} from '../../os/read-user-file.js'
import type {CollectContext, ExecResult, Row} from '../types.js'

export interface LoginSession {
  id: string
  uid: number
  user: string
  type: string
  desktop: string
  active: boolean
}

/** Session ids: the first column of `loginctl list-sessions --no-legend` (columns vary by version). */
export function parseSessionIds(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((id) => /^[\w-]+$/.test(id))
}

/** `loginctl show-session ID… -p …`: Key=value blocks, one per session, blank-line separated. */
export function parseShowSessions(text: string): LoginSession[] {
  return text
    .split(/\n\s*\n/)
    .map((block) => {
      const f = new Map<string, string>()
      for (const line of block.split('\n')) {
        const eq = line.indexOf('=')
        if (eq > 0) f.set(line.slice(0, eq), line.slice(eq + 1).trim())
      }
      return f
    })
    .filter((f) => f.has('Id'))
    .filter((f) => ['x11', 'wayland', 'mir'].includes(f.get('Type') ?? '') && (f.get('Class') ?? 'user') === 'user')
    .map((f) => ({
      active: f.get('Active') === 'yes',
      desktop: f.get('Desktop') ?? '',
      id: f.get('Id') as string,
      type: f.get('Type') as string,
      uid: Number(f.get('User')),
      user: f.get('Name') ?? '',
    }))
}

export type DesktopFamily = 'dde' | 'gnome' | 'kde' | 'mate' | 'ukui'

/** XDG_SESSION_DESKTOP (logind's Desktop) → whose settings to read; GNOME when unsaid. */
export function desktopFamily(desktop: string): DesktopFamily | null {
  const d = desktop.toLowerCase()
  if (!d || /gnome|ubuntu|unity|pop|budgie/.test(d)) return 'gnome'
  if (/ukui|kylin/.test(d)) return 'ukui'
  if (/deepin|dde|uos/.test(d)) return 'dde'
  if (/mate/.test(d)) return 'mate'
  if (/kde|plasma/.test(d)) return 'kde'
  return null
}

/** `gsettings list-recursively SCHEMA` / `gsettings get`: "schema key value", values with GVariant type prefixes. */
export function parseGsettingsList(text: string): Map<string, string> {
  const values = new Map<string, string>()
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(\S+)\s+(.*)$/.exec(line.trim())
    if (m) values.set(m[2] as string, stripType(m[3] as string))
  }
  return values
}

const stripType = (value: string): string => value.trim().replace(/^(uint32|int32|uint64|int64|byte|uint16|int16|double)\s+/, '')

const num = (value: string | undefined): null | number => {
  const n = Number(value)
  return value === undefined || Number.isNaN(n) ? null : n
}

export interface LockSetting {
  enabled: boolean
  timeout_seconds: null | number
}

/**
 * GNOME: locks when the session goes idle (org.gnome.desktop.session idle-delay, seconds; 0 = never)
 * and lock-enabled, lock-delay seconds after the screen blanks. Like the STIG/CIS checks, an
 * explicit idle-activation-enabled=false counts as off.
 */
export function gnomeLock(screensaver: Map<string, string>, idleDelay: string): LockSetting {
  const idle = num(stripType(idleDelay)) ?? 0
  const lockDelay = num(screensaver.get('lock-delay')) ?? 0
  const enabled = screensaver.get('lock-enabled') === 'true' && screensaver.get('idle-activation-enabled') !== 'false' && idle > 0
  return {enabled, timeout_seconds: enabled ? idle + lockDelay : null}
}

/** UKUI and MATE: the same keys as GNOME's, but idle-delay and lock-delay count minutes. */
export function minutesLock(screensaver: Map<string, string>, idleDelayMinutes: string): LockSetting {
  const idle = num(stripType(idleDelayMinutes)) ?? 0
  const lockDelay = Math.max(0, num(screensaver.get('lock-delay')) ?? 0)
  const enabled = screensaver.get('lock-enabled') === 'true' && screensaver.get('idle-activation-enabled') !== 'false' && idle > 0
  return {enabled, timeout_seconds: enabled ? (idle + lockDelay) * 60 : null}
}

/**
 * DDE (com.deepin.dde.power): line-power-lock-delay locks after that many idle seconds (0 = 从不,
 * never); screen-black-lock also locks when the screen turns off after line-power-screen-black-delay.
 * A posting PC runs on mains, so the line-power values apply.
 */
export function ddeLock(power: Map<string, string>): LockSetting {
  const candidates: number[] = []
  const lockDelay = num(power.get('line-power-lock-delay')) ?? 0
  if (lockDelay > 0) candidates.push(lockDelay)
  const blackDelay = num(power.get('line-power-screen-black-delay')) ?? 0
  if (power.get('screen-black-lock') === 'true' && blackDelay > 0) candidates.push(blackDelay)
  return candidates.length > 0 ? {enabled: true, timeout_seconds: Math.min(...candidates)} : {enabled: false, timeout_seconds: null}
}

/** KDE ~/.config/kscreenlockerrc [Daemon]: Autolock (default true), Timeout minutes (default 5). */
export function kdeLock(rc: null | string): LockSetting {
  let section = ''
  const daemon = new Map<string, string>()
  for (const raw of (rc ?? '').split('\n')) {
    const line = raw.trim()
    const header = /^\[(.+)\]$/.exec(line)
    if (header) section = header[1] as string
    else if (section === 'Daemon' && line.includes('=')) daemon.set(line.slice(0, line.indexOf('=')).trim(), line.slice(line.indexOf('=') + 1).trim())
  }
  const timeout = num(daemon.get('Timeout')) ?? 5
  const enabled = daemon.get('Autolock') !== 'false' && timeout > 0
  return {enabled, timeout_seconds: enabled ? timeout * 60 : null}
}

/** The home directory of a user from /etc/passwd. */
export function homeOf(passwd: string, user: string): null | string {
  for (const line of passwd.split('\n')) {
    const f = line.split(':')
    if (f[0] === user && f[5]) return f[5]
  }
  return null
}

async function readOptional(path: string): Promise<null | string> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return null
  }
}

export async function collect(ctx: CollectContext, root = '/'): Promise<Row[]> {
  const noDesktop = unsupported('no desktop session: screen lock applies to a graphical login', 'factError.noDesktop')
  // Without logind (containers, other inits) there are no login sessions to ask about.
  if (!existsSync(join(root, 'run', 'systemd', 'sessions'))) throw noDesktop
  let list: ExecResult
  try {
    list = await ctx.exec('loginctl', ['list-sessions', '--no-legend'], {timeoutMs: 5000})
  } catch (error) {
    if (error instanceof FactError && error.kind === 'missing_tool') throw noDesktop
    throw error
  }
  const ids = list.code === 0 ? parseSessionIds(list.stdout) : []
  if (ids.length === 0) throw noDesktop
  const props = ['Id', 'User', 'Name', 'Type', 'Class', 'Active', 'Desktop'].flatMap((p) => ['-p', p])
  const shown = await ctx.exec('loginctl', ['show-session', ...ids, ...props], {timeoutMs: 5000})
  const sessions = parseShowSessions(shown.stdout)
  // One setting per user: prefer the active session's desktop.
  const byUser = new Map<number, LoginSession>()
  for (const s of sessions.sort((a, b) => Number(b.active) - Number(a.active))) if (!byUser.has(s.uid)) byUser.set(s.uid, s)
  if (byUser.size === 0) throw noDesktop

  const passwd = (await readOptional(join(root, 'etc', 'passwd'))) ?? ''
  const myUid = typeof process.getuid === 'function' ? process.getuid() : -1
  const rows: Row[] = []
  for (const session of byUser.values()) {
    const family = desktopFamily(session.desktop)
    if (!family) throw unsupported(`screen lock of the ${session.desktop} desktop is not read (GNOME, UKUI, DDE, MATE and KDE are)`, 'factError.desktopNotRead', {desktop: session.desktop})
    const home = homeOf(passwd, session.user) ?? `/home/${session.user}`
    if (family === 'kde') {
      // The user's file, read as root: a regular file only (no FIFO to hang on), no link, bounded.
      const own = await readUserFile(join(root, home), ['.config', 'kscreenlockerrc'], {maxBytes: 64 * 1024, uids: [session.uid, 0]})
      if ('error' in own) throw new FactError('failed', `${session.user}'s kscreenlockerrc was not read (${own.error})`)
      const rc = 'bytes' in own ? own.bytes.toString('utf8') : await readOptional(join(root, 'etc', 'xdg', 'kscreenlockerrc'))
      rows.push({...kdeLock(rc), desktop: family, source: 'kscreenlockerrc', user: session.user})
      continue
    }
    if (session.uid !== myUid && !(await ctx.isAdmin())) throw needsAdmin(`read ${session.user}'s desktop settings`)
    const runtime = `/run/user/${session.uid}`
    const env = {DBUS_SESSION_BUS_ADDRESS: `unix:path=${runtime}/bus`, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_RUNTIME_DIR: runtime}
    const gsettings = async (args: string[]): Promise<string> => {
      const [file, argv] = session.uid === myUid ? ['gsettings', args] : ['runuser', ['-u', session.user, '--', 'gsettings', ...args]]
      const result = await ctx.exec(file, argv as string[], {env, timeoutMs: 5000})
      if (result.code !== 0) throw new FactError('failed', `gsettings ${args.join(' ')} as ${session.user} exited ${result.code}: ${(result.stderr || result.stdout).trim().split('\n')[0] ?? ''}`)
      return result.stdout
    }
    let setting: LockSetting
    if (family === 'dde') {
      setting = ddeLock(parseGsettingsList(await gsettings(['list-recursively', 'com.deepin.dde.power'])))
    } else {
      const [saverSchema, sessionSchema] = {gnome: ['org.gnome.desktop.screensaver', 'org.gnome.desktop.session'], mate: ['org.mate.screensaver', 'org.mate.session'], ukui: ['org.ukui.screensaver', 'org.ukui.session']}[family]
      const [saver, idle] = await Promise.all([gsettings(['list-recursively', saverSchema as string]), gsettings(['get', sessionSchema as string, 'idle-delay'])])
      setting = family === 'gnome' ? gnomeLock(parseGsettingsList(saver), idle) : minutesLock(parseGsettingsList(saver), idle)
    }
    rows.push({...setting, desktop: family, source: 'gsettings', user: session.user})
  }
  return rows
}
