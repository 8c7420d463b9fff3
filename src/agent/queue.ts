// The offline queue: every report (and every incident notice) is on disk before it is sent and
// leaves only when the collector acknowledged its commit (200/201). File names sort oldest first;
// each file goes to the API path its `schema` names. One flush at a time per state dir: a lock file
// in the queue folder, created exclusively, says which process is sending.
import {randomBytes} from 'node:crypto'
import {constants, type Stats} from 'node:fs'
import {type FileHandle, link, lstat, open, readdir, rename, rm} from 'node:fs/promises'
import {join} from 'node:path'
import {setTimeout as delay} from 'node:timers/promises'

import {API, INCIDENT_SCHEMA_ID, type IncidentNotice, MAX_BODY_BYTES, STATUS} from '../collector/protocol.js'
import {syncDir, writeFileAtomic} from '../os/atomic-write.js'
import {ensureRootDir} from '../os/safe-dir.js'
import {errorText, type JsonAnswer, NetworkError} from './https-request.js'
import type {AgentPaths} from './paths.js'

/** A report@1 document; the queue itself needs only its id. */
export interface QueuedReport {
  report_id: string
}

/** ISO 8601 basic format (no colons: they are not allowed in Windows file names); sorts by time. */
export function queueStamp(date: Date): string {
  return date.toISOString().replaceAll(/[-:]/g, '')
}

/** The names `enqueue` gives: `<queueStamp>-<UUID>.json`. Anything else in the folder is not a queued document. */
export const QUEUE_FILE_NAME = /^\d{8}T\d{6}\.\d{3}Z-[0-9a-f-]{36}\.json$/i

/** A queued document larger than this is not read: the collector would refuse it anyway (413). */
export const MAX_QUEUED_BYTES = MAX_BODY_BYTES

/** What the queue holds: a report@1 (keyed by report_id) or an incident@1 notice (keyed by notice_id). */
export type Queueable = IncidentNotice | QueuedReport

/** Writes one queue file; replaceable so tests can make the disk full. */
export type QueueWrite = (file: string, data: string) => Promise<void>

export async function enqueue<T extends Queueable>(paths: AgentPaths, item: T, now: Date = new Date(), write: QueueWrite = writeFileAtomic): Promise<string> {
  const queued: Queueable = item
  const [field, id] = 'report_id' in queued ? ['report_id', queued.report_id] : ['notice_id', queued.notice_id]
  if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error(`${field} is not a UUID`)
  ensureRootDir(paths.queue)
  const file = join(paths.queue, `${queueStamp(now)}-${id}.json`)
  await write(file, JSON.stringify(item))
  return file
}

/** The collector path a queued document goes to, by its `schema` (anything else is sent as a report, whose check refuses it). */
export function pathFor(body: string): string {
  try {
    return (JSON.parse(body) as {schema?: unknown} | null)?.schema === INCIDENT_SCHEMA_ID ? API.incidents : API.reports
  } catch {
    return API.reports
  }
}

/** Why an entry of the queue folder is not sent. */
export type ForeignKind = 'directory' | 'name' | 'special' | 'symlink' | 'tooLarge'

export interface ForeignEntry {
  file: string
  kind: ForeignKind
}

export interface QueueScan {
  /** Queued documents, oldest first. */
  files: string[]
  /** Everything else in the folder (the queue's own working files aside): never read, never removed. */
  foreign: ForeignEntry[]
}

/** The queue's own working entries, passed over without a word: rejected/, the flush lock, temp files (all dot names). */
function ownWorkingEntry(name: string, stats: Stats): boolean {
  return name.startsWith('.') || (name === 'rejected' && stats.isDirectory())
}

function foreignKind(name: string, stats: Pick<Stats, 'isDirectory' | 'isFile' | 'isSymbolicLink' | 'size'>): ForeignKind | null {
  if (stats.isSymbolicLink()) return 'symlink'
  if (stats.isDirectory()) return 'directory'
  if (!stats.isFile()) return 'special'
  if (!QUEUE_FILE_NAME.test(name)) return 'name'
  if (stats.size > MAX_QUEUED_BYTES) return 'tooLarge'
  return null
}

/** The queue folder by lstat (links are never followed): the queued documents, and what does not belong. */
export async function scanQueue(paths: AgentPaths): Promise<QueueScan> {
  let names: string[]
  try {
    names = await readdir(paths.queue)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {files: [], foreign: []}
    throw error
  }
  const scan: QueueScan = {files: [], foreign: []}
  for (const name of names.sort()) {
    let stats: Stats
    try {
      stats = await lstat(join(paths.queue, name))
    } catch (error) {
      // Sent and removed meanwhile.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw error
    }
    if (ownWorkingEntry(name, stats)) continue
    const kind = foreignKind(name, stats)
    if (kind) scan.foreign.push({file: name, kind})
    else scan.files.push(name)
  }
  return scan
}

/** Queued report files, oldest first. */
export async function listQueue(paths: AgentPaths): Promise<string[]> {
  return (await scanQueue(paths)).files
}

export interface QueueStatus {
  queued: number
  oldest: null | string
  rejected: number
}

export async function queueStatus(paths: AgentPaths): Promise<QueueStatus> {
  const queued = await listQueue(paths)
  let rejected = 0
  try {
    rejected = (await readdir(paths.rejected)).filter((name) => name.endsWith('.json') && !name.endsWith('.reason.json')).length
  } catch {
    // no rejected folder yet
  }
  return {oldest: queued[0] ? stampTime(queued[0]) : null, queued: queued.length, rejected}
}

/** The time a queue file name starts with, back in extended ISO form. */
export function stampTime(name: string): null | string {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\.\d{3})Z-/.exec(name)
  return m ? `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7]}Z` : null
}

// O_NOFOLLOW: a link put in place after the listing is not followed (ELOOP). O_NONBLOCK: a FIFO put
// there does not hang the open. Neither exists on Windows, where the fstat check below still holds.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

type ReadOutcome = {body: string} | {foreign: ForeignKind} | {vanished: true}

/** Reads a file the scan found regular, without following a link and up to MAX_QUEUED_BYTES. */
async function readQueued(file: string): Promise<ReadOutcome> {
  let handle: FileHandle
  try {
    handle = await open(file, READ_FLAGS)
  } catch (error) {
    const {code} = error as NodeJS.ErrnoException
    if (code === 'ENOENT') return {vanished: true}
    if (code === 'ELOOP') return {foreign: 'symlink'}
    throw error
  }
  try {
    const stats = await handle.stat()
    if (!stats.isFile()) return {foreign: stats.isDirectory() ? 'directory' : 'special'}
    if (stats.size > MAX_QUEUED_BYTES) return {foreign: 'tooLarge'}
    return {body: await handle.readFile('utf8')}
  } finally {
    await handle.close()
  }
}

// ---------------------------------------------------------------------------------------------
// The flush lock

/** The lock's name: a dot name, so no listing takes it for a queued document. */
export const FLUSH_LOCK = '.flush.lock'
/** How long a flush waits for the one holding the lock by default. */
export const FLUSH_LOCK_WAIT_MS = 10_000
/**
 * A lock whose holder has not touched it for this long is stale even if its pid is alive (the pid may
 * have been reused). The holder touches it before each document, and one request lasts at most the
 * upload timeout (15 s by default).
 */
export const FLUSH_LOCK_STALE_MS = 10 * 60_000

/** What a lock file says. */
export interface LockOwner {
  pid: null | number
  at: null | string
}

export interface FlushLock {
  /** Marks the lock as still in use (its modification time). */
  touch(): Promise<void>
  release(): Promise<void>
}

export type LockAttempt = {busy: LockOwner} | {lock: FlushLock} | {noQueue: true} | {unlocked: string}

/** Disk errors that stop a file from being written: the queue cannot take anything new. */
export const DISK_ERRORS = new Set(['EACCES', 'EDQUOT', 'ENOSPC', 'EPERM', 'EROFS'])

export function diskErrorCode(error: unknown): null | string {
  const code = (error as NodeJS.ErrnoException | null)?.code
  return typeof code === 'string' && DISK_ERRORS.has(code) ? code : null
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, it belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function parseOwner(text: string): LockOwner {
  try {
    const parsed = JSON.parse(text) as {at?: unknown; pid?: unknown}
    return {at: typeof parsed.at === 'string' ? parsed.at : null, pid: Number.isSafeInteger(parsed.pid) && (parsed.pid as number) > 0 ? (parsed.pid as number) : null}
  } catch {
    // Empty: created but not written yet (or the disk was full). Only its age can make it stale.
    return {at: null, pid: null}
  }
}

/** The lock's owner and its lstat, or null when there is no lock any more. */
async function readLock(file: string): Promise<null | {owner: LockOwner; stats: Stats}> {
  let stats: Stats
  try {
    stats = await lstat(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
  // Anything but a regular file (a planted link, a folder) holds nothing: it is stale at once.
  if (!stats.isFile()) return {owner: {at: null, pid: 0}, stats}
  const read = await readQueued(file)
  if ('vanished' in read) return null
  return {owner: 'body' in read ? parseOwner(read.body) : {at: null, pid: 0}, stats}
}

function isStale(owner: LockOwner, stats: Stats, now: number, staleMs: number): boolean {
  if (owner.pid === 0) return true
  if (now - stats.mtimeMs > staleMs) return true
  return owner.pid !== null && !pidAlive(owner.pid)
}

/**
 * Moves a stale lock aside and removes it. The move is checked: if a flush replaced the stale lock
 * with its own between the look and the move, its lock is put back (link never replaces) and the
 * caller waits for it.
 */
async function takeOver(file: string, seen: Stats): Promise<void> {
  const aside = `${file}.${randomBytes(6).toString('hex')}.stale`
  try {
    await rename(file, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  const moved = await lstat(aside)
  if (moved.ino !== seen.ino || moved.dev !== seen.dev) {
    await link(aside, file).catch(() => {})
  }
  await rm(aside, {force: true, recursive: true})
}

export interface LockOptions {
  /** How long to wait for another flush (ms). */
  waitMs?: number
  staleMs?: number
  pollMs?: number
}

/**
 * Takes the queue's flush lock: `.flush.lock` created with O_EXCL (never through a link), holding
 * the pid and the time. Waits up to `waitMs` for a live holder; a stale lock is taken over. A queue
 * folder that does not exist has nothing to flush; one where no file can be created (a full or
 * read-only disk) is flushed without the lock, since sending is what frees it.
 */
export async function acquireFlushLock(paths: AgentPaths, options: LockOptions = {}): Promise<LockAttempt> {
  const {pollMs = 100, staleMs = FLUSH_LOCK_STALE_MS, waitMs = FLUSH_LOCK_WAIT_MS} = options
  const file = join(paths.queue, FLUSH_LOCK)
  const deadline = Date.now() + waitMs
  for (;;) {
    let handle: FileHandle
    try {
      handle = await open(file, 'wx', 0o600)
    } catch (error) {
      const {code} = error as NodeJS.ErrnoException
      if (code === 'ENOENT') return {noQueue: true}
      const disk = diskErrorCode(error)
      if (disk) return {unlocked: disk}
      if (code !== 'EEXIST') throw error
      const held = await readLock(file)
      if (!held) continue
      if (isStale(held.owner, held.stats, Date.now(), staleMs)) {
        await takeOver(file, held.stats)
        continue
      }
      if (Date.now() >= deadline) return {busy: held.owner}
      await delay(Math.max(1, Math.min(pollMs, deadline - Date.now())))
      continue
    }
    return {lock: await holdLock(file, handle)}
  }
}

async function holdLock(file: string, handle: FileHandle): Promise<FlushLock> {
  try {
    await handle.writeFile(JSON.stringify({at: new Date().toISOString(), pid: process.pid}))
  } catch (error) {
    // A full disk: the empty lock still holds (others judge it by its age), and the flush goes on.
    if (!diskErrorCode(error)) {
      await handle.close()
      await rm(file, {force: true})
      throw error
    }
  }
  const mine = await handle.stat()
  await handle.close()
  return {
    async release() {
      // Only our own lock: if it was judged stale and taken over, the new holder's stays.
      const there = await lstat(file).catch(() => null)
      if (there && there.ino === mine.ino && there.dev === mine.dev) await rm(file, {force: true})
    },
    async touch() {
      const now = new Date()
      const touched = await open(file, READ_FLAGS | constants.O_WRONLY).catch(() => null)
      if (!touched) return
      try {
        const stats = await touched.stat()
        if (stats.ino === mine.ino && stats.dev === mine.dev) await touched.utimes(now, now)
      } finally {
        await touched.close()
      }
    },
  }
}

// ---------------------------------------------------------------------------------------------
// The flush

export interface FlushResult {
  /** Stored now (201). */
  sent: string[]
  /** Already stored before (200): removed from the queue as well. */
  duplicates: string[]
  rejected: {file: string; status: number; error: string}[]
  /** Still queued after the flush. */
  remaining: number
  /** Set when the flush stopped because the collector could not be reached. */
  unreachable: null | string
  /** Set when another flush held the lock past the wait: this one sent nothing. */
  busy: LockOwner | null
  /** Entries of the queue folder that are not queued documents: left as they are. */
  skipped: ForeignEntry[]
}

export type Send = (body: string, path: string) => Promise<JsonAnswer>

export interface FlushOptions {
  lock?: LockOptions
}

export function emptyFlushResult(): FlushResult {
  return {busy: null, duplicates: [], rejected: [], remaining: 0, sent: [], skipped: [], unreachable: null}
}

/**
 * Sends the queue oldest first, holding the flush lock. A network failure or a 5xx stops the flush
 * and keeps everything (the collector may come back); a 4xx is about that one document, which is
 * moved to rejected/ with its reason so it cannot block the queue forever. A file that vanished
 * since the listing is passed over; one that is not a queued document is reported in `skipped`.
 */
export async function flushQueue(paths: AgentPaths, send: Send, options: FlushOptions = {}): Promise<FlushResult> {
  const result = emptyFlushResult()
  const attempt = await acquireFlushLock(paths, options.lock)
  if ('noQueue' in attempt) return result
  if ('busy' in attempt) {
    const scan = await scanQueue(paths)
    return {...result, busy: attempt.busy, remaining: scan.files.length, skipped: scan.foreign}
  }
  const lock = 'lock' in attempt ? attempt.lock : null
  try {
    await sendAll(paths, send, result, lock)
  } finally {
    await lock?.release()
  }
  return result
}

async function sendAll(paths: AgentPaths, send: Send, result: FlushResult, lock: FlushLock | null): Promise<void> {
  const {files, foreign} = await scanQueue(paths)
  result.skipped.push(...foreign)
  for (const [index, name] of files.entries()) {
    await lock?.touch()
    const file = join(paths.queue, name)
    const read = await readQueued(file)
    if ('vanished' in read) continue
    if ('foreign' in read) {
      result.skipped.push({file: name, kind: read.foreign})
      continue
    }
    let answer: JsonAnswer
    try {
      answer = await send(read.body, pathFor(read.body))
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error
      result.unreachable = error.code
      result.remaining = files.length - index
      return
    }
    if (answer.status === STATUS.created || answer.status === STATUS.ok) {
      await rm(file, {force: true})
      await syncDir(paths.queue)
      ;(answer.status === STATUS.created ? result.sent : result.duplicates).push(name)
    } else if (answer.status >= 400 && answer.status < 500 && answer.status !== 408 && answer.status !== 429) {
      const error = errorText(answer)
      if (await reject(paths, name, answer.status, error)) result.rejected.push({error, file: name, status: answer.status})
    } else {
      result.unreachable = `HTTP ${answer.status}`
      result.remaining = files.length - index
      return
    }
  }
}

/** Moves a refused document to rejected/ with its reason; false when it had vanished meanwhile. */
async function reject(paths: AgentPaths, name: string, status: number, error: string): Promise<boolean> {
  ensureRootDir(paths.rejected)
  const reason = join(paths.rejected, name.replace(/\.json$/, '.reason.json'))
  // The reason first: a crash between the two leaves the report queued, never lost. On a full disk
  // the reason cannot be written; the move still frees the queue (the warning carries the reason).
  try {
    await writeFileAtomic(reason, `${JSON.stringify({error, rejected_at: new Date().toISOString(), status}, null, 2)}\n`)
  } catch (writeError) {
    if (!diskErrorCode(writeError)) throw writeError
  }
  try {
    await rename(join(paths.queue, name), join(paths.rejected, name))
  } catch (moveError) {
    if ((moveError as NodeJS.ErrnoException).code !== 'ENOENT') throw moveError
    await rm(reason, {force: true})
    return false
  }
  await syncDir(paths.queue)
  await syncDir(paths.rejected)
  return true
}
