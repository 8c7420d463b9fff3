// Linux: the XDG user folders of ~/.config/user-dirs.dirs (桌面, 文档, 下载 on a Chinese 统信UOS or
// 银河麒麟 desktop), and the English and Chinese default names beside them (a locale change leaves
// both). Whose: the user running nm-guard; when that is root (the scheduled audit), every person's
// home too (user-profiles.linux.ts: /etc/passwd users with a login uid, and anyone logged in to a
// desktop), with their own user-dirs.dirs read as a hostile file and their folders searched only
// where they own them.
import {readFile} from 'node:fs/promises'
import {homedir, userInfo} from 'node:os'
import {join} from 'node:path'

import {otherProfileStores} from '../../accounts/profile-stores.js'
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

async function readOptional(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return ''
  }
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
  return targetsFor(home, user, await readOptional(join(configHome, 'user-dirs.dirs')))
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
  const targets = await userTargets(home, currentUser(ctx), ctx.env.XDG_CONFIG_HOME ?? join(home, '.config'))
  const known: Shortfall[] = []
  if (await ctx.isAdmin()) {
    for (const p of await linuxProfiles(ctx, root)) {
      if (p.home === home) continue
      if (p.userDirsError) known.push({detail: `${p.user}'s user-dirs.dirs was not used (${p.userDirsError}): only their default folders were searched`, kind: 'unreadable'})
      targets.push(...targetsFor(p.home, p.user, p.userDirs).map((t) => ({...t, owner: p.uid})))
    }
    known.push(...otherUsersShortfalls(await stores))
  }
  return collectTargets(ctx, targets, options, known)
}
