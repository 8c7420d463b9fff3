// The PC's real users, for an audit run as root (the daily systemd/cron job): whose folders and
// account stores to judge. Every user in /etc/passwd with a login uid (≥ 1000, not nobody) and a
// home, plus anyone logged in to a graphical session (a directory user from LDAP/SSSD is not in
// /etc/passwd). Their files are read as hostile (src/os/read-user-file.ts).
import {readFile, stat} from 'node:fs/promises'
import {join} from 'node:path'

import {readUserFile} from '../../os/read-user-file.js'
import {perContext} from '../per-context.js'
import {parseSessionIds, parseShowSessions} from '../screen-lock/screen-lock.linux.js'
import type {CollectContext} from '../types.js'

/** Debian's UID_MIN (login.defs) and nobody. */
const FIRST_LOGIN_UID = 1000
const NOBODY_UID = 65_534
/** user-dirs.dirs is a dozen lines; a larger one is not what xdg-user-dirs writes. */
const MAX_USER_DIRS_BYTES = 64 * 1024

export interface PasswdUser {
  user: string
  uid: number
  home: string
  shell: string
}

export interface LinuxProfile {
  user: string
  uid: number
  /** The home folder, under the root the collector was given. */
  home: string
  /** ~/.config/user-dirs.dirs ('' when there is none or it was refused). */
  userDirs: string
  /** Why user-dirs.dirs was refused (a link, too large…); null when read or absent. */
  userDirsError: null | string
}

export function parsePasswd(text: string): PasswdUser[] {
  const users: PasswdUser[] = []
  for (const line of text.split('\n')) {
    const f = line.split(':')
    if (f.length < 7 || !f[0] || !/^\d+$/.test(f[2] ?? '')) continue
    users.push({home: f[5] ?? '', shell: f[6]?.trim() ?? '', uid: Number(f[2]), user: f[0]})
  }
  return users
}

/** A person's account: a login uid and a real home (not /, not /nonexistent) and a shell that logs in. */
export const isPersonUser = (u: PasswdUser): boolean =>
  u.uid >= FIRST_LOGIN_UID && u.uid !== NOBODY_UID && u.home.startsWith('/') && u.home !== '/' && !/\/(nologin|false)$/.test(u.shell)

/** Users with a graphical login session (logind); [] when logind is not there. */
export async function desktopSessionUsers(ctx: CollectContext): Promise<Array<{uid: number; user: string}>> {
  try {
    const list = await ctx.exec('loginctl', ['list-sessions', '--no-legend'], {timeoutMs: 5000})
    const ids = list.code === 0 ? parseSessionIds(list.stdout) : []
    if (ids.length === 0) return []
    const props = ['Id', 'User', 'Name', 'Type', 'Class', 'Active', 'Desktop'].flatMap((p) => ['-p', p])
    const shown = await ctx.exec('loginctl', ['show-session', ...ids, ...props], {timeoutMs: 5000})
    return parseShowSessions(shown.stdout)
      .filter((s) => s.uid !== 0 && s.user)
      .map((s) => ({uid: s.uid, user: s.user}))
  } catch {
    return []
  }
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

/** Every person's profile whose home exists, read once per gathering. `root` is a seam for tests. */
export function linuxProfiles(ctx: CollectContext, root = '/'): Promise<LinuxProfile[]> {
  return perContext(ctx, `linux-user-profiles:${root}`, async () => {
    const passwd = parsePasswd(await readFile(join(root, 'etc', 'passwd'), 'utf8').catch(() => ''))
    const byName = new Map(passwd.map((u) => [u.user, u]))
    const wanted = new Map<string, {home: string; uid: number}>()
    for (const u of passwd) if (isPersonUser(u)) wanted.set(u.user, {home: u.home, uid: u.uid})
    for (const s of await desktopSessionUsers(ctx)) {
      if (!wanted.has(s.user)) wanted.set(s.user, {home: byName.get(s.user)?.home ?? `/home/${s.user}`, uid: s.uid})
    }
    const profiles: LinuxProfile[] = []
    for (const [user, {home: relative, uid}] of wanted) {
      const home = join(root, relative)
      if (!(await isFolder(home))) continue
      const dirs = await readUserFile(home, ['.config', 'user-dirs.dirs'], {maxBytes: MAX_USER_DIRS_BYTES, uids: [uid, 0]})
      profiles.push({
        home,
        uid,
        user,
        userDirs: 'bytes' in dirs ? dirs.bytes.toString('utf8') : '',
        userDirsError: 'error' in dirs ? dirs.error : null,
      })
    }
    return profiles
  })
}
