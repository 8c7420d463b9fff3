// Walks the user's Desktop, Documents and Downloads folders, bounded in depth, entries, bytes and
// time, and finds files whose name says "password" or whose content holds a managed password.
// It takes the secrets as an argument and returns paths and reasons only: never a secret, never
// content. When it could not look everywhere it says so (shortfalls), so a caller never mistakes
// "nothing found in what was checked" for "nothing there".
import type {Dirent} from 'node:fs'
import * as fs from 'node:fs'
import {lstat, open, readdir, readlink, realpath, stat} from 'node:fs/promises'
import {isAbsolute, join, relative, resolve, sep} from 'node:path'
import {promisify} from 'node:util'

import {type ContentKind, contentKind, SecretNeedles, textHolds, zipHolds} from './content-match.js'
import {passwordNameKeyword} from './name-match.js'

export type UserFolder = 'desktop' | 'documents' | 'downloads'

/** One folder to search, and whose it is. */
export interface ScanTarget {
  folder: UserFolder
  path: string
  user: null | string
  /**
   * POSIX: the uid the folder must belong to (or root), for another user's folder read as root.
   * Their user-dirs.dirs names it, so they could point it at a folder that is not theirs.
   */
  owner?: number
  /**
   * The home the folder must lie in, for a scan run as root (another user's folders, named by their
   * user-dirs.dirs). Set: a folder outside it (after `..` is resolved) is not searched, no link is
   * followed below it (a Desktop linked to /etc stays a link), and every folder and file is opened
   * without following links and checked to be the one below the home that was meant.
   */
  home?: string
}

export interface ScanLimits {
  /** Levels of subfolders entered below each folder: 0 = its own files only. */
  maxDepth: number
  /** The whole scan, walking and reading, from its start. */
  deadlineMs: number
  /** Directory entries looked at, all folders together. */
  maxEntries: number
  /** Larger files are not read (they are still reported when their name matches). */
  maxFileBytes: number
  /** Files whose content is searched, and their bytes, all folders together. */
  maxContentFiles: number
  maxContentBytes: number
}

const MiB = 1024 * 1024

/**
 * Depth 3 reaches 桌面/工作/2024/微博/账号.txt; deeper trees on a posting PC are unpacked archives and
 * program folders. The 3 s deadline keeps the audit within its budget even on a slow disk; a
 * typical scan takes tens of milliseconds (docs/benchmarks.md).
 */
export const DEFAULT_LIMITS: ScanLimits = {
  deadlineMs: 3000,
  maxContentBytes: 64 * MiB,
  maxContentFiles: 3000,
  maxDepth: 3,
  maxEntries: 20_000,
  maxFileBytes: MiB,
}

export type FindingReason = 'content-match' | 'file-name'

export interface Finding {
  path: string
  name: string
  folder: UserFolder
  user: null | string
  reason: FindingReason
  /** The password word of the name, if it has one. */
  keyword: null | string
  size: null | number
  modified_at: null | string
}

export type ShortfallKind = 'deadline' | 'limit' | 'permission' | 'secrets' | 'unreadable'

/** Something that was not checked, in words fit for an error message (no secret, no content). */
export interface Shortfall {
  kind: ShortfallKind
  detail: string
}

export interface ScanResult {
  findings: Finding[]
  /** Folders that exist and were listed. */
  scanned: string[]
  /** Folders that do not exist (not a shortfall: nothing is kept there). */
  missing: string[]
  shortfalls: Shortfall[]
  stats: {
    entries: number
    contentFiles: number
    contentBytes: number
    /** Whether contents were searched at all (there were managed passwords to look for). */
    contentChecked: boolean
    elapsedMs: number
  }
}

export interface ScanOptions {
  /**
   * The managed passwords to look for in contents. null: names only, by choice. A promise is
   * awaited while the folders are walked; if it rejects or is late, that is a shortfall.
   */
  secrets?: null | Promise<readonly string[]> | readonly string[]
  limits?: Partial<ScanLimits>
  /** Milliseconds, for the deadline (tests make time pass). */
  clock?: () => number
}

/** Junctions Windows keeps in Documents for old programs (listing them is denied), trash, bundles. */
const SKIP_DIRS = new Set(['$recycle.bin', 'my music', 'my pictures', 'my videos', 'node_modules', 'system volume information'])
const SKIP_DIR_SUFFIX = /\.(app|bundle|framework|photoslibrary)$/i
/** Hidden files, Office owner files (~$账号.xlsx) and LibreOffice locks of an open document, folder metadata. */
const skipFile = (name: string): boolean => name.startsWith('.') || name.startsWith('~$') || /^(desktop\.ini|thumbs\.db)$/i.test(name)

interface Candidate {
  path: string
  name: string
  target: ScanTarget
  keyword: null | string
  kind: ContentKind | null
  /** Confined targets: the path the kernel must report for the opened file (no link on the way). */
  real?: string
}

interface Dir {
  path: string
  depth: number
  target: ScanTarget
  real?: string
}

/** Not following a link, and not waiting on a FIFO or a device planted in place of a file. */
const NO_FOLLOW = (fs.constants.O_NOFOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0)
const PROC_FD = process.platform === 'linux'

/**
 * Resolves `promise`, or 'late' once `ms` have passed. What a user controls (a FUSE mount in their
 * home, a share that went away) can make a file-system call never return.
 */
async function within<T>(promise: Promise<T>, ms: number): Promise<'late' | T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), Math.max(0, ms))
  })
  try {
    return await Promise.race([promise, late])
  } finally {
    clearTimeout(timer)
  }
}

/** Past the deadline, how long a hung call is waited for before the scan is declared incomplete. */
const GRACE_MS = 500

const code = (error: unknown): string => String((error as NodeJS.ErrnoException)?.code ?? 'error')
const denied = (error: unknown): boolean => ['EACCES', 'EPERM'].includes(code(error))
const gone = (error: unknown): boolean => ['ENOENT', 'ENOTDIR'].includes(code(error))
const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0]?.slice(0, 160) ?? ''

export async function scanFiles(targets: readonly ScanTarget[], options: ScanOptions = {}): Promise<ScanResult> {
  const limits = {...DEFAULT_LIMITS, ...options.limits}
  const clock = options.clock ?? (() => performance.now())
  const started = clock()
  const late = (): boolean => clock() - started > limits.deadlineMs
  // Settled in the background while the folders are walked; never an unhandled rejection.
  const secrets = options.secrets === undefined || options.secrets === null ? null : settle(Promise.resolve(options.secrets))

  const shortfalls: Shortfall[] = []
  const state: WalkState = {candidates: [], entries: 0, missing: [], scanned: [], stopped: false}
  // The walk stops itself at the deadline between listings; a listing that never returns (a FUSE
  // mount the user planted) is left behind, and what was found so far is kept.
  const walked = await within(walk(targets, limits, late, shortfalls, state), limits.deadlineMs - (clock() - started) + GRACE_MS)
  if (walked === 'late') {
    state.stopped = true
    shortfalls.push({detail: 'scan incomplete: listing the folders did not finish within the time allowed', kind: 'deadline'})
  }
  const {candidates, missing, scanned} = state
  const entries = Math.min(state.entries, limits.maxEntries)

  const named = candidates.filter((c) => c.keyword !== null)
  const findings = new Map<string, Finding>()
  // Files found by name are reported whatever happens next: only their size and date are read
  // (of the entry itself, never through a link), while the secrets are still on their way.
  const [needles] = await Promise.all([
    secrets ? secretsBefore(secrets, limits.deadlineMs - (clock() - started), shortfalls) : null,
    ...named.map(async (c) => {
      const info = await within(
        lstat(c.path).catch((error: unknown) => (gone(error) ? 'gone' : null)),
        limits.deadlineMs - (clock() - started) + GRACE_MS,
      )
      if (info !== 'gone') findings.set(c.path, finding(c, 'file-name', info === 'late' || (info && !info.isFile()) ? null : info))
    }),
  ])
  const toRead = needles ? candidates.filter((c) => c.kind !== null) : []

  const content = needles ? await searchContents(toRead, needles, limits, () => limits.deadlineMs - (clock() - started), shortfalls) : {bytes: 0, files: 0, matches: []}
  for (const {candidate, info} of content.matches) findings.set(candidate.path, finding(candidate, 'content-match', info))

  return {
    findings: [...findings.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    missing,
    scanned,
    shortfalls,
    stats: {contentBytes: content.bytes, contentChecked: needles !== null, contentFiles: content.files, elapsedMs: Math.round(clock() - started), entries},
  }
}

function finding(c: Candidate, reason: FindingReason, info: {mtime: Date; size: number} | null): Finding {
  return {
    folder: c.target.folder,
    keyword: c.keyword,
    modified_at: info ? info.mtime.toISOString() : null,
    name: c.name,
    path: c.path,
    reason,
    size: info ? info.size : null,
    user: c.target.user,
  }
}

interface WalkState {
  candidates: Candidate[]
  entries: number
  missing: string[]
  scanned: string[]
  /** Set when the scan gave up waiting on the walk: it must add nothing more. */
  stopped: boolean
}

/**
 * A confined target's folder, checked without following links: inside the home, and every part
 * below the home a real folder. Its real path (what the kernel reports once it is opened), or why
 * it is not searched; 'missing' when it does not exist.
 */
async function confine(target: ScanTarget & {home: string}): Promise<'missing' | {real: string} | {refused: string}> {
  const home = resolve(target.home)
  const path = resolve(target.path)
  const rel = relative(home, path)
  if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    return {refused: `${target.path} is outside ${target.user ?? 'the user'}'s home (${home}): not searched`}
  }
  let current = home
  for (const part of rel.split(sep)) {
    current = join(current, part)
    const info = await lstat(current)
    if (info.isSymbolicLink()) return {refused: `${current} is a link: not followed`}
    if (!info.isDirectory()) return 'missing'
  }
  return {real: join(await realpath(home), rel)}
}

/**
 * A folder's entries. Confined (Linux): opened without following a link, checked to be the folder
 * below the home that was meant (not one swapped for a link since it was listed), and listed
 * through that open descriptor.
 */
async function listDir(dir: Dir): Promise<Dirent[]> {
  if (dir.real === undefined || !PROC_FD) return readdir(dir.path, {withFileTypes: true})
  const handle = await open(dir.path, fs.constants.O_RDONLY | fs.constants.O_DIRECTORY | NO_FOLLOW)
  try {
    const opened = await readlink(`/proc/self/fd/${handle.fd}`)
    if (opened !== dir.real) throw Object.assign(new Error(`${dir.path} resolved elsewhere`), {code: 'ELOOP'})
    return await readdir(`/proc/self/fd/${handle.fd}`, {withFileTypes: true})
  } finally {
    await handle.close()
  }
}

/** Breadth first, so a cut (deadline, entry limit) leaves the shallow files, the likeliest, checked. */
async function walk(targets: readonly ScanTarget[], limits: ScanLimits, late: () => boolean, shortfalls: Shortfall[], state: WalkState): Promise<void> {
  const {candidates, missing, scanned} = state
  const queue: Dir[] = []
  const seen = new Set<string>()
  for (const target of targets) {
    if (state.stopped) return
    try {
      let real: string
      let confined: string | undefined
      if (target.home === undefined) {
        // The folder itself may be a link (a redirected Desktop); links below it are not followed.
        real = await realpath(target.path)
      } else {
        const checked = await confine(target as ScanTarget & {home: string})
        if (state.stopped) return
        if (checked === 'missing') {
          missing.push(target.path)
          continue
        }
        if ('refused' in checked) {
          shortfalls.push({detail: checked.refused, kind: 'permission'})
          continue
        }
        real = checked.real
        confined = real
      }
      const info = await stat(real)
      if (state.stopped) return
      if (!info.isDirectory()) {
        missing.push(target.path)
        continue
      }
      if (target.owner !== undefined && info.uid !== target.owner && info.uid !== 0) {
        shortfalls.push({detail: `${target.path} is not searched as ${target.user ?? 'the user'}'s: it belongs to uid ${info.uid}`, kind: 'permission'})
        continue
      }
      if (seen.has(real)) continue
      seen.add(real)
      scanned.push(target.path)
      queue.push({depth: 0, path: target.path, real: confined, target})
    } catch (error) {
      if (state.stopped) return
      if (gone(error)) missing.push(target.path)
      else shortfalls.push({detail: `cannot open ${target.path} (${code(error)})`, kind: denied(error) ? 'permission' : 'unreadable'})
    }
  }

  let unlisted = 0
  while (queue.length > 0) {
    if (state.stopped) return
    if (late()) {
      shortfalls.push({detail: `the deadline passed while listing folders (${queue.length} not listed)`, kind: 'deadline'})
      break
    }
    const batch = queue.splice(0, 8)
    const listings = await Promise.all(batch.map((dir) => listDir(dir).then((list) => ({dir, list}), (error: unknown) => ({dir, error}))))
    if (state.stopped) return
    let full = false
    for (const listing of listings) {
      if ('error' in listing) {
        if (listing.dir.depth === 0) {
          // macOS asks the user before a program may read Desktop/Documents/Downloads (TCC).
          shortfalls.push({detail: `cannot list ${listing.dir.path} (${code(listing.error)})`, kind: denied(listing.error) ? 'permission' : 'unreadable'})
          scanned.splice(scanned.indexOf(listing.dir.path), 1)
        } else if (!gone(listing.error)) unlisted++
        continue
      }
      const {dir, list} = listing
      for (const entry of list.sort((a, b) => (a.name < b.name ? -1 : 1)) as Dirent[]) {
        if (++state.entries > limits.maxEntries) {
          full = true
          break
        }
        const path = join(dir.path, entry.name)
        const real = dir.real === undefined ? undefined : join(dir.real, entry.name)
        // Links (and junctions) are not followed: they may loop or lead out of the user's folders.
        if (entry.isDirectory()) {
          if (dir.depth < limits.maxDepth && !entry.name.startsWith('.') && !SKIP_DIRS.has(entry.name.toLowerCase()) && !SKIP_DIR_SUFFIX.test(entry.name)) {
            queue.push({depth: dir.depth + 1, path, real, target: dir.target})
          }
          continue
        }
        // Regular files only: a FIFO, socket or device is never opened.
        if (!entry.isFile() || skipFile(entry.name)) continue
        const keyword = passwordNameKeyword(entry.name)
        const kind = contentKind(entry.name)
        if (keyword !== null || kind !== null) candidates.push({keyword, kind, name: entry.name, path, real, target: dir.target})
      }
      if (full) break
    }
    if (full) {
      shortfalls.push({detail: `more than ${limits.maxEntries} files and folders: the rest were not looked at`, kind: 'limit'})
      break
    }
  }
  if (unlisted > 0) shortfalls.push({detail: `${unlisted} subfolder(s) could not be listed`, kind: 'unreadable'})
}

type Settled = {ok: false; error: unknown} | {ok: true; value: readonly string[]}

const settle = (promise: Promise<readonly string[]>): Promise<Settled> =>
  promise.then(
    (value) => ({ok: true, value}),
    (error: unknown) => ({error, ok: false}),
  )

/** The needles, once the secrets arrive within the time left; null when there is nothing to look for. */
async function secretsBefore(secrets: Promise<Settled>, remainingMs: number, shortfalls: Shortfall[]): Promise<null | SecretNeedles> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), Math.max(0, remainingMs))
  })
  const outcome = await Promise.race([secrets, late])
  clearTimeout(timer)
  if (outcome === 'late') {
    shortfalls.push({detail: 'the managed passwords were not read before the deadline: contents not checked', kind: 'deadline'})
    return null
  }
  if (!outcome.ok) {
    shortfalls.push({detail: `contents not checked: the managed passwords could not be read (${firstLine(outcome.error)})`, kind: 'secrets'})
    return null
  }
  const needles = new SecretNeedles(outcome.value)
  return needles.size > 0 ? needles : null
}

interface ContentMatch {
  candidate: Candidate
  info: {mtime: Date; size: number}
}

// The callback API with a reused buffer: fs/promises FileHandles cost ~4× more per small file,
// and synchronous reads could hang the whole audit on a network share or a cloud placeholder.
const fsOpen = promisify(fs.open)
const fsFstat = promisify(fs.fstat)
const fsRead = promisify(fs.read)
const fsClose = promisify(fs.close)

/** Eight files at a time: enough to keep the thread pool busy without holding much memory. */
const READERS = 8

/**
 * OneDrive "online-only" files (Windows) and iCloud evicted files (macOS) occupy no blocks: their
 * content is not on this PC, and reading them would download it. They are not read.
 */
const CLOUD_PLACEHOLDERS = process.platform === 'win32' || process.platform === 'darwin'

async function searchContents(
  candidates: Candidate[],
  needles: SecretNeedles,
  limits: ScanLimits,
  remainingMs: () => number,
  shortfalls: Shortfall[],
): Promise<{bytes: number; files: number; matches: ContentMatch[]}> {
  const matches: ContentMatch[] = []
  let next = 0
  let files = 0
  let bytes = 0
  let unreadable = 0
  let stop: null | Shortfall = null
  const notChecked = (): string => `${candidates.length - next + 1} of ${candidates.length} files' contents not checked`
  const reader = async (buffer: Buffer): Promise<void> => {
    while (next < candidates.length && stop === null) {
      const candidate = candidates[next++] as Candidate
      if (remainingMs() < 0) stop = {detail: `the deadline passed with ${notChecked()}`, kind: 'deadline'}
      else if (next > limits.maxContentFiles || bytes >= limits.maxContentBytes) stop = {detail: `more than ${limits.maxContentFiles} files or ${limits.maxContentBytes / MiB} MiB to read: ${notChecked()}`, kind: 'limit'}
      if (stop) break
      try {
        const read = await readCandidate(candidate, buffer, limits.maxFileBytes, (size) => {
          // Counted before the read, so the readers running at once cannot all pass the byte cap.
          bytes += size
          files++
        })
        if (read === 'refused') {
          unreadable++
          continue
        }
        if (read === null) continue
        if (await holds(candidate.kind as ContentKind, read.data, needles)) matches.push({candidate, info: read.info})
      } catch (error) {
        if (!gone(error)) unreadable++
      }
    }
  }
  let timer: NodeJS.Timeout | undefined
  // A read that hangs (a share that went away) must not hold the audit past the deadline.
  const stalled = new Promise<'stalled'>((resolve) => {
    timer = setTimeout(() => resolve('stalled'), Math.max(0, remainingMs()) + 500)
  })
  const readers = Promise.all(Array.from({length: READERS}, () => reader(Buffer.allocUnsafe(limits.maxFileBytes + 1))))
  const outcome = await Promise.race([readers, stalled])
  clearTimeout(timer)
  if (outcome === 'stalled') {
    stop ??= {detail: `reading stalled past the deadline with ${notChecked()}`, kind: 'deadline'}
    // Readers still waiting on the disk stop at their next file.
    next = candidates.length
  }
  if (stop) shortfalls.push(stop)
  if (unreadable > 0) shortfalls.push({detail: `${unreadable} file(s) could not be read`, kind: 'unreadable'})
  return {bytes, files, matches: [...matches]}
}

async function holds(kind: ContentKind, data: Buffer, needles: SecretNeedles): Promise<boolean> {
  if (kind === 'text') return textHolds(data, needles)
  if (kind === 'binary') return needles.inBytes(data)
  try {
    return await zipHolds(data, needles)
  } catch {
    // Not a zip after all (a password-protected Office file is an encrypted OLE file): no plain text.
    return needles.inBytes(data)
  }
}

/**
 * The file's bytes in `buffer` (its size is the limit + 1), read through one descriptor opened
 * without following a link and without waiting on a FIFO: null when there is nothing to read (empty,
 * too large, a cloud placeholder); 'refused' when what was opened is not what
 * was listed (not a regular file, not the user's, a hard link, reached through a swapped link).
 */
async function readCandidate(
  candidate: Candidate,
  buffer: Buffer,
  maxFileBytes: number,
  count: (size: number) => void,
): Promise<'refused' | null | {data: Buffer; info: fs.Stats}> {
  const fd = await fsOpen(candidate.path, fs.constants.O_RDONLY | NO_FOLLOW)
  try {
    const info = await fsFstat(fd)
    if (!info.isFile()) return 'refused'
    const {owner} = candidate.target
    if (owner !== undefined && ((info.uid !== owner && info.uid !== 0) || info.nlink > 1)) return 'refused'
    if (candidate.real !== undefined && PROC_FD && (await readlink(`/proc/self/fd/${fd}`)) !== candidate.real) return 'refused'
    if (info.size === 0 || info.size > maxFileBytes || (CLOUD_PLACEHOLDERS && info.blocks === 0)) return null
    count(info.size)
    const {bytesRead} = await fsRead(fd, buffer, 0, buffer.length, 0)
    return bytesRead >= buffer.length ? null : {data: buffer.subarray(0, bytesRead), info}
  } finally {
    await fsClose(fd)
  }
}
