// Reading a file in another user's folder as root/SYSTEM (their account store, their XDG folder
// list, their registry hive). That user controls the folder, so the file is treated as hostile:
// no link is followed below the folder we trust (a link to /etc/shadow stays a link), only a
// regular file with a single name is read (no hard link to someone else's file, no FIFO to hang
// on), owned by that user or root where owners exist, and never more than `maxBytes`.
// What went wrong is said without quoting the file: its content may be someone else's.
import {constants} from 'node:fs'
import {lstat, open, readlink, realpath, stat} from 'node:fs/promises'
import {join} from 'node:path'

export type UserFileRead = {bytes: Buffer; path: string} | {error: string; path: string} | {missing: true; path: string}

export interface UserFileOptions {
  maxBytes: number
  /** Owners accepted (POSIX); unset: not checked (Windows has no uid in stat). */
  uids?: readonly number[]
  /**
   * The whole read, walk included (default 5 s): a folder the user controls may be a FUSE mount
   * of theirs that never answers. Past it the file is refused and the caller goes on.
   */
  timeoutMs?: number
}

export const DEFAULT_USER_FILE_TIMEOUT_MS = 5000

const code = (error: unknown): string => String((error as NodeJS.ErrnoException)?.code ?? 'error')
const isGone = (error: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes(code(error))

// O_NOFOLLOW and O_NONBLOCK do not exist on Windows (undefined there): the lstat walk and the
// identity check after opening stand in for them.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

/**
 * Reads `base`/`parts…`. `base` is trusted (a home from /etc/passwd, a profile from HKLM) and may
 * itself be a link; every part below it must be a real folder or, last, a real file.
 */
export async function readUserFile(base: string, parts: readonly string[], options: UserFileOptions): Promise<UserFileRead> {
  const path = join(base, ...parts)
  const timeoutMs = options.timeoutMs ?? DEFAULT_USER_FILE_TIMEOUT_MS
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<UserFileRead>((resolve) => {
    timer = setTimeout(() => resolve({error: `${path} did not answer within ${timeoutMs} ms: not read`, path}), timeoutMs)
  })
  try {
    return await Promise.race([readNow(base, parts, path, options), late])
  } finally {
    clearTimeout(timer)
  }
}

async function readNow(base: string, parts: readonly string[], path: string, options: UserFileOptions): Promise<UserFileRead> {
  try {
    if (!(await stat(base)).isDirectory()) return {missing: true, path}
    let current = base
    let last: Awaited<ReturnType<typeof lstat>> | undefined
    for (const [i, part] of parts.entries()) {
      current = join(current, part)
      last = await lstat(current)
      if (last.isSymbolicLink()) return {error: `${current} is a link: not followed`, path}
      const final = i === parts.length - 1
      if (!final && !last.isDirectory()) return {missing: true, path}
      if (final && !last.isFile()) return {error: `${current} is not a regular file`, path}
    }
    const handle = await open(path, OPEN_FLAGS)
    try {
      const info = await handle.stat()
      // The same file the walk saw: not swapped for another between the check and the open.
      if (!last || info.ino !== last.ino || info.dev !== last.dev || !info.isFile()) return {error: `${path} changed while it was opened`, path}
      if (info.nlink > 1) return {error: `${path} has ${info.nlink} names (a hard link): not read`, path}
      if (options.uids && !options.uids.includes(info.uid)) return {error: `${path} is owned by uid ${info.uid}, not by the user: not read`, path}
      if (info.size > options.maxBytes) return {error: `${path} is ${info.size} bytes, more than the ${options.maxBytes} accepted`, path}
      // Linux: the kernel's name for what was opened, so a folder swapped for a link mid-walk is caught.
      const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => null)
      if (opened !== null && process.platform === 'linux' && opened !== join(await realpath(base), ...parts)) return {error: `${path} resolved elsewhere while it was opened: not read`, path}
      // One byte more than its size: a file still growing is refused rather than cut.
      const buffer = Buffer.alloc(info.size + 1)
      let length = 0
      while (length < buffer.length) {
        const {bytesRead} = await handle.read(buffer, length, buffer.length - length, null)
        if (bytesRead === 0) break
        length += bytesRead
      }
      if (length > info.size) return {error: `${path} grew while it was read: not read`, path}
      return {bytes: buffer.subarray(0, length), path}
    } finally {
      await handle.close()
    }
  } catch (error) {
    if (isGone(error)) return {missing: true, path}
    // ELOOP: the last part became a link after the walk (O_NOFOLLOW refused it).
    return {error: `${path} could not be read (${code(error)})`, path}
  }
}
