// Linux: the XDG user folders of ~/.config/user-dirs.dirs (桌面, 文档, 下载 on a Chinese 统信UOS or
// 银河麒麟 desktop), and the English and Chinese default names beside them (a locale change leaves
// both). Whose: the user running nm-guard; when that is root (the scheduled audit), every person's
// home too (user-profiles.linux.ts: /etc/passwd users with a login uid, and anyone logged in to a
// desktop), with their own user-dirs.dirs read as a hostile file and their folders searched only
// where they own them, inside their home, never through a link (scan-files.ts, ScanTarget.home).
import {homedir, userInfo} from 'node:os'
import {join} from 'node:path'

import {otherProfileStores} from '../../accounts/profile-stores.js'
import {readUserFile} from '../../os/read-user-file.js'
import type {CollectContext, Row} from '../types.js'
import {linuxProfiles} from '../user-profiles/user-profiles.linux.js'
import {collectTargets, otherUsersShortfalls, type PlaintextOptions} from './collect-scan.js'
import type {ScanTarget, Shortfall, UserFolder} from './scan-files.js'

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

/** user-dirs.dirs is a dozen lines; a larger one is not what xdg-user-dirs writes. */
const MAX_USER_DIRS_BYTES = 64 * 1024

/**
 * The user's own user-dirs.dirs: a regular file only (a FIFO planted there would hang the audit),
 * not through a link, bounded in size and time. '' and why, when refused.
 */
async function readUserDirs(configHome: string): Promise<{error: null | string; text: string}> {
  // The config folder itself is trusted (the environment's, or ~/.config, which may be a link to dotfiles).
  const read = await readUserFile(configHome, ['user-dirs.dirs'], {maxBytes: MAX_USER_DIRS_BYTES})
  if ('bytes' in read) return {error: null, text: read.bytes.toString('utf8')}
  return {error: 'error' in read ? read.error : null, text: ''}
}

/** The XDG folder first, then the default names that exist beside it (the scanner skips missing ones). */
export function targetsFor(home: string, user: null | string, userDirs: string): ScanTarget[] {
  const xdg = parseUserDirs(userDirs, home)
  const targets: ScanTarget[] = []
  for (const folder of Object.keys(DEFAULT_NAMES) as UserFolder[]) {
    const paths = [xdg[folder], ...DEFAULT_NAMES[folder].map((name) => join(home, name))].filter((p): p is string => p !== undefined)
    for (const path of new Set(paths)) targets.push({folder, path, user})
  }
  return targets
}

export async function userTargets(home: string, user: null | string, configHome = join(home, '.config')): Promise<ScanTarget[]> {
  return targetsFor(home, user, (await readUserDirs(configHome)).text)
}

function currentUser(ctx: CollectContext): null | string {
  try {
    return ctx.env.USER ?? ctx.env.LOGNAME ?? userInfo().username
  } catch {
    return null
  }
}

/** `root` is the test seam for the other users' homes (a fake /etc/passwd and /home). */
export async function collect(ctx: CollectContext, options: PlaintextOptions = {}, root = '/'): Promise<Row[]> {
  const stores = otherProfileStores(ctx, root)
  const home = ctx.env.HOME ?? homedir()
  const user = currentUser(ctx)
  const own = await readUserDirs(ctx.env.XDG_CONFIG_HOME ?? join(home, '.config'))
  const known: Shortfall[] = []
  if (own.error) known.push({detail: `${user ?? 'the user'}'s user-dirs.dirs was not used (${own.error}): only the default folders were searched`, kind: 'unreadable'})
  const admin = await ctx.isAdmin()
  // As root (the scheduled audit), every folder stays inside its owner's home: a user's
  // user-dirs.dirs or a linked Desktop must not send root's scan into /etc or someone else's home.
  const targets = targetsFor(home, user, own.text).map((t) => (admin ? {...t, home} : t))
  if (admin) {
    for (const p of await linuxProfiles(ctx, root)) {
      if (p.home === home) continue
      if (p.userDirsError) known.push({detail: `${p.user}'s user-dirs.dirs was not used (${p.userDirsError}): only their default folders were searched`, kind: 'unreadable'})
      targets.push(...targetsFor(p.home, p.user, p.userDirs).map((t) => ({...t, home: p.home, owner: p.uid})))
    }
    known.push(...otherUsersShortfalls(await stores))
  }
  return collectTargets(ctx, targets, options, known)
}
