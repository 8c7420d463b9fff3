// Linux: the XDG user folders of ~/.config/user-dirs.dirs (桌面, 文档, 下载 on a Chinese 统信UOS or
// 银河麒麟 desktop), and the English and Chinese default names beside them (a locale change leaves
// both). Whose: the user running nm-guard; when that is root (a scheduled audit), the users logged
// in to a graphical session too, since the folders that matter are theirs.
import {readFile} from 'node:fs/promises'
import {homedir, userInfo} from 'node:os'
import {join} from 'node:path'

import {homeOf, parseSessionIds, parseShowSessions} from '../screen-lock/screen-lock.linux.js'
import type {CollectContext, Row} from '../types.js'
import {collectTargets, type PlaintextOptions} from './collect-scan.js'
import type {ScanTarget, UserFolder} from './scan-files.js'

const XDG_KEYS: Record<string, UserFolder> = {XDG_DESKTOP_DIR: 'desktop', XDG_DOCUMENTS_DIR: 'documents', XDG_DOWNLOAD_DIR: 'downloads'}
const DEFAULT_NAMES: Record<UserFolder, string[]> = {desktop: ['Desktop', '桌面'], documents: ['Documents', '文档'], downloads: ['Downloads', '下载']}

/**
 * `XDG_DESKTOP_DIR="$HOME/桌面"` lines (xdg-user-dirs writes "$HOME/…" or an absolute path). A
 * folder set to $HOME itself means "disabled" and is left out, as xdg-user-dirs does.
 */
export function parseUserDirs(text: string, home: string): Partial<Record<UserFolder, string>> {
  const out: Partial<Record<UserFolder, string>> = {}
  for (const line of text.split('\n')) {
    const m = /^\s*(XDG_[A-Z]+_DIR)\s*=\s*"((?:[^"\\]|\\.)*)"\s*$/.exec(line)
    const folder = m ? XDG_KEYS[m[1] as string] : undefined
    if (!m || !folder) continue
    const raw = (m[2] as string).replaceAll(/\\(.)/g, '$1')
    const path = /^\$(HOME|\{HOME\})(\/|$)/.test(raw) ? join(home, raw.replace(/^\$(HOME|\{HOME\})/, '')) : raw
    if (!path.startsWith('/')) continue
    if (path.replace(/\/+$/, '') === home.replace(/\/+$/, '')) continue
    out[folder] = path
  }
  return out
}

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return ''
  }
}

/** The XDG folder first, then the default names that exist beside it (the scanner skips missing ones). */
export async function userTargets(home: string, user: null | string, configHome = join(home, '.config')): Promise<ScanTarget[]> {
  const xdg = parseUserDirs(await readOptional(join(configHome, 'user-dirs.dirs')), home)
  const targets: ScanTarget[] = []
  for (const folder of Object.keys(DEFAULT_NAMES) as UserFolder[]) {
    const paths = [xdg[folder], ...DEFAULT_NAMES[folder].map((name) => join(home, name))].filter((p): p is string => p !== undefined)
    for (const path of new Set(paths)) targets.push({folder, path, user})
  }
  return targets
}

function currentUser(ctx: CollectContext): null | string {
  try {
    return ctx.env.USER ?? ctx.env.LOGNAME ?? userInfo().username
  } catch {
    return null
  }
}

/** Users with a graphical login session (logind), with their homes; [] when logind is not there. */
async function desktopUsers(ctx: CollectContext, root: string): Promise<Array<{home: string; user: string}>> {
  try {
    const list = await ctx.exec('loginctl', ['list-sessions', '--no-legend'], {timeoutMs: 5000})
    const ids = list.code === 0 ? parseSessionIds(list.stdout) : []
    if (ids.length === 0) return []
    const props = ['Id', 'User', 'Name', 'Type', 'Class', 'Active', 'Desktop'].flatMap((p) => ['-p', p])
    const shown = await ctx.exec('loginctl', ['show-session', ...ids, ...props], {timeoutMs: 5000})
    const passwd = await readOptional(join(root, 'etc', 'passwd'))
    const users = new Map<string, string>()
    for (const s of parseShowSessions(shown.stdout)) if (s.uid !== 0 && s.user) users.set(s.user, join(root, homeOf(passwd, s.user) ?? `/home/${s.user}`))
    return [...users].map(([user, home]) => ({home, user}))
  } catch {
    return []
  }
}

export async function collect(ctx: CollectContext, options: PlaintextOptions = {}, root = '/'): Promise<Row[]> {
  const home = ctx.env.HOME ?? homedir()
  const targets = await userTargets(home, currentUser(ctx), ctx.env.XDG_CONFIG_HOME ?? join(home, '.config'))
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  if (isRoot && (await ctx.isAdmin())) {
    for (const other of await desktopUsers(ctx, root)) if (other.home !== home) targets.push(...(await userTargets(other.home, other.user)))
  }
  return collectTargets(ctx, targets, options)
}
