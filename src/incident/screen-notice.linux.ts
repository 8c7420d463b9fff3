// The screen notice on Linux: `wall` to every terminal, and `notify-send` in each logged-in
// graphical session, run as that session's user on that user's session bus (root may not talk to a
// user's bus, and a notification from root's own bus would show nowhere). Sessions come from
// logind (loginctl); without logind, every /run/user/UID that holds a session bus.
import {readdir, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {toolPath} from '../os/tools.js'
import type {ExecOptions} from '../facts/types.js'
import {firstLine, NOTICE_COMMAND_TIMEOUT_MS, type NoticeEnv, plainText, type ScreenNoticeChannel, type ScreenNoticeText} from './screen-notice.js'

export const RUN_USER_DIR = '/run/user'
/** A PC has a handful of sessions; a list longer than this is not one to walk at incident time. */
const MAX_SESSIONS = 16
/** Seconds `wall` may spend on one terminal (its default is 300). */
const WALL_TIMEOUT_S = 5

export interface NoticeCommand {
  file: string
  args: string[]
  input?: string
  env?: ExecOptions['env']
}

/** A graphical user's session bus: the user and group notify-send runs as, and where the bus is. */
export interface UserBus {
  uid: number
  gid: number
  /** runUserDir/UID */
  runtimeDir: string
}

/** wall reads the message on stdin: nothing in it can be taken for an option or a file name. */
export const wallCommand = (text: ScreenNoticeText): NoticeCommand => ({args: ['-t', String(WALL_TIMEOUT_S)], file: 'wall', input: `${plainText(text.title)}\n${plainText(text.body)}\n`})

/** Notification bodies are markup (the Desktop Notifications spec): policy text is shown, not interpreted. */
const escapeMarkup = (text: string): string => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

/**
 * notify-send as the session's user: setpriv drops to its uid and gid with no supplementary groups
 * (no name lookup, which could hang on a directory service), the bus named by address. `--` ends
 * the options, so neither text can be read as one.
 */
export function notifyCommand(text: ScreenNoticeText, bus: UserBus): NoticeCommand {
  return {
    args: [`--reuid=${bus.uid}`, `--regid=${bus.gid}`, '--clear-groups', '--', toolPath('notify-send', 'linux'), '--urgency=critical', '--app-name=nm-guard', '--icon=dialog-warning', '--', plainText(text.title), escapeMarkup(plainText(text.body))],
    // Root's HOME is not the user's: left unset rather than pointing at /root.
    env: {DBUS_SESSION_BUS_ADDRESS: `unix:path=${join(bus.runtimeDir, 'bus')}`, HOME: undefined, XDG_RUNTIME_DIR: bus.runtimeDir},
    file: 'setpriv',
  }
}

/** `loginctl list-sessions --no-legend`: the session id is the first column in every systemd version. */
export const parseSessionIds = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((id) => /^[\w-]+$/.test(id))

/** `loginctl show-session ID -p User -p Type -p Class`: the user's uid when the session is a graphical user session. */
export function graphicalUid(text: string): null | number {
  const props = Object.fromEntries(
    text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  )
  // A greeter (the login screen) is graphical but nobody has logged in yet.
  if (!/^(x11|wayland|mir)$/.test(props.Type ?? '') || (props.Class !== undefined && props.Class !== 'user')) return null
  const uid = Number(props.User)
  return Number.isInteger(uid) && uid >= 0 ? uid : null
}

/** The uids logind says have a graphical session; null when logind cannot be asked. */
async function logindUids(env: NoticeEnv): Promise<null | number[]> {
  const options = {timeoutMs: NOTICE_COMMAND_TIMEOUT_MS}
  try {
    const list = await env.exec('loginctl', ['list-sessions', '--no-legend', '--no-pager'], options)
    if (list.code !== 0) return null
    const ids = parseSessionIds(list.stdout).slice(0, MAX_SESSIONS)
    const uids = await Promise.all(
      ids.map(async (id) => {
        const shown = await env.exec('loginctl', ['show-session', id, '-p', 'User', '-p', 'Type', '-p', 'Class', '--no-pager'], options).catch(() => null)
        return shown?.code === 0 ? graphicalUid(shown.stdout) : null
      }),
    )
    return [...new Set(uids.filter((uid): uid is number => uid !== null))]
  } catch {
    return null
  }
}

/** Without logind: every numeric folder under runUserDir. */
async function runtimeUids(dir: string): Promise<number[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  return names.filter((name) => /^\d+$/.test(name)).map(Number).slice(0, MAX_SESSIONS)
}

/** Each uid's bus, when its runtime folder holds one (the folder's group is the user's). */
async function busesOf(uids: number[], dir: string): Promise<UserBus[]> {
  const found = await Promise.all(
    uids.map(async (uid) => {
      const runtimeDir = join(dir, String(uid))
      try {
        const [folder, socket] = await Promise.all([stat(runtimeDir), stat(join(runtimeDir, 'bus'))])
        // Only a bus the user owns in a folder the user owns: never one planted for someone else.
        return socket.isSocket() && folder.uid === uid && socket.uid === uid ? {gid: folder.gid, runtimeDir, uid} : null
      } catch {
        return null
      }
    }),
  )
  return found.filter((bus): bus is UserBus => bus !== null)
}

async function run(env: NoticeEnv, channel: string, command: NoticeCommand): Promise<ScreenNoticeChannel> {
  try {
    const result = await env.exec(command.file, command.args, {env: command.env, input: command.input, timeoutMs: NOTICE_COMMAND_TIMEOUT_MS})
    if (result.code === 0) return {channel, status: 'shown'}
    return {channel, error: `exit ${result.code}${firstLine(result.stderr || result.stdout) ? `: ${firstLine(result.stderr || result.stdout)}` : ''}`, status: 'failed'}
  } catch (error) {
    return {channel, error: (error as Error).message, status: 'failed'}
  }
}

async function notifySessions(text: ScreenNoticeText, env: NoticeEnv): Promise<ScreenNoticeChannel[]> {
  const dir = env.runUserDir ?? RUN_USER_DIR
  const uids = (await logindUids(env)) ?? (await runtimeUids(dir))
  const buses = await busesOf(uids, dir)
  if (buses.length === 0) return [{channel: 'notify-send', status: 'none'}]
  return Promise.all(buses.map((bus) => run(env, `notify-send (uid ${bus.uid})`, notifyCommand(text, bus))))
}

export async function showLinuxNotice(text: ScreenNoticeText, env: NoticeEnv): Promise<ScreenNoticeChannel[]> {
  const [wall, notified] = await Promise.all([run(env, 'wall', wallCommand(text)), notifySessions(text, env)])
  return [wall, ...notified]
}
