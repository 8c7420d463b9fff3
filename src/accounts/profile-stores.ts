// The account metadata of every local user, for an elevated audit (SYSTEM's scheduled task, root's
// systemd/cron job). Design: each user keeps their own store (nothing machine-wide to write, no
// ACL to get right, no way to forge another user's); the elevated audit reads each profile's
// store where that user's nm-guard keeps it, as a hostile file, and names whose it is. The
// passwords stay in each user's own keychain. A standard run reads its own store only.
import {join} from 'node:path'

import {UserError} from '../cli/user-error.js'
import {perContext} from '../facts/per-context.js'
import type {CollectContext} from '../facts/types.js'
import {linuxProfiles} from '../facts/user-profiles/user-profiles.linux.js'
import {windowsProfiles} from '../facts/user-profiles/user-profiles.win32.js'
import {readUserFile, type UserFileRead} from '../os/read-user-file.js'
import {type AccountsData, configDir, emptyData, parseData, STORE_FILE} from './account-store.js'

/** A store holds tens of accounts (a few KiB); far larger is not one nm-guard wrote. */
export const MAX_STORE_BYTES = 1024 * 1024

export interface ProfileStore {
  /** Whose profile; null when the profiles themselves could not be listed. */
  user: null | string
  path: string
  data: AccountsData
  /** Why this profile's store could not be read (its accounts are then unknown); null when read or absent. */
  error: null | string
}

/** A read file's accounts, or why not. Never quotes the content: it may be someone else's file. */
export function storeFromRead(read: UserFileRead): {data: AccountsData; error: null} | {data: AccountsData; error: string} {
  if ('missing' in read) return {data: emptyData(), error: null}
  if ('error' in read) return {data: emptyData(), error: read.error}
  let raw: unknown
  try {
    raw = JSON.parse(read.bytes.toString('utf8'))
  } catch {
    return {data: emptyData(), error: `${read.path} is not valid JSON`}
  }
  try {
    return {data: parseData(raw, read.path), error: null}
  } catch (error) {
    if (error instanceof UserError) return {data: emptyData(), error: `${read.path} is not an nm-guard account store`}
    throw error
  }
}

const samePath = (a: string, b: string, platform: string): boolean => (platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b)

/**
 * The stores of the other local users when this process is elevated; [] otherwise (and on macOS,
 * where a scheduled audit runs as the user). `root` is the Linux test seam.
 */
export function otherProfileStores(ctx: CollectContext, root = '/'): Promise<ProfileStore[]> {
  // Asked for before any await, so the Windows fragment joins the gathering's one PowerShell batch.
  const windows = ctx.platform === 'win32' ? windowsProfiles(ctx) : null
  windows?.catch(() => undefined)
  return perContext(ctx, `profile-stores:${root}`, async () => {
    if (ctx.platform === 'darwin' || !(await ctx.isAdmin())) return []
    const own = join(configDir(ctx.env, ctx.platform), STORE_FILE)
    try {
      const reads =
        ctx.platform === 'win32'
          ? (await (windows as Promise<Awaited<ReturnType<typeof windowsProfiles>>>)).map(async (p) => ({read: await readUserFile(p.appData, ['nm-guard', 'Config', STORE_FILE], {maxBytes: MAX_STORE_BYTES}), user: p.user}))
          : (await linuxProfiles(ctx, root)).map(async (p) => ({read: await readUserFile(p.home, ['.config', 'nm-guard', STORE_FILE], {maxBytes: MAX_STORE_BYTES, uids: [p.uid, 0]}), user: p.user}))
      const stores = await Promise.all(reads)
      return stores.filter(({read}) => !samePath(read.path, own, ctx.platform)).map(({read, user}) => ({path: read.path, user, ...storeFromRead(read)}))
    } catch (error) {
      // The profiles could not be listed: one store-less entry says so, the own store still counts.
      return [{data: emptyData(), error: `the local user profiles could not be listed: ${(error as Error).message}`, path: '', user: null}]
    }
  })
}
