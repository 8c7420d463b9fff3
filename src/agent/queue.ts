// The offline queue: every report (and every incident notice) is on disk before it is sent and
// leaves only when the collector acknowledged its commit (200/201). File names sort oldest first;
// each file goes to the API path its `schema` names.
import {mkdir, readdir, readFile, rename, rm} from 'node:fs/promises'
import {join} from 'node:path'

import {API, INCIDENT_SCHEMA_ID, type IncidentNotice, STATUS} from '../collector/protocol.js'
import {syncDir, writeFileAtomic} from '../os/atomic-write.js'
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

/** What the queue holds: a report@1 (keyed by report_id) or an incident@1 notice (keyed by notice_id). */
export type Queueable = IncidentNotice | QueuedReport

export async function enqueue<T extends Queueable>(paths: AgentPaths, item: T, now: Date = new Date()): Promise<string> {
  const queued: Queueable = item
  const [field, id] = 'report_id' in queued ? ['report_id', queued.report_id] : ['notice_id', queued.notice_id]
  if (typeof id !== 'string' || !/^[0-9a-f-]{36}$/i.test(id)) throw new Error(`${field} is not a UUID`)
  await mkdir(paths.queue, {recursive: true, mode: 0o700})
  const file = join(paths.queue, `${queueStamp(now)}-${id}.json`)
  await writeFileAtomic(file, JSON.stringify(item))
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

/** Queued report files, oldest first. */
export async function listQueue(paths: AgentPaths): Promise<string[]> {
  let names: string[]
  try {
    names = await readdir(paths.queue)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw error
  }
  return names.filter((name) => name.endsWith('.json') && !name.startsWith('.')).sort()
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
}

export type Send = (body: string, path: string) => Promise<JsonAnswer>

/**
 * Sends the queue oldest first. A network failure or a 5xx stops the flush and keeps everything
 * (the collector may come back); a 4xx is about that one document, which is moved to rejected/ with
 * its reason so it cannot block the queue forever.
 */
export async function flushQueue(paths: AgentPaths, send: Send): Promise<FlushResult> {
  const result: FlushResult = {duplicates: [], rejected: [], remaining: 0, sent: [], unreachable: null}
  const files = await listQueue(paths)
  for (const [index, name] of files.entries()) {
    const file = join(paths.queue, name)
    let body: string
    try {
      body = await readFile(file, 'utf8')
    } catch (error) {
      // Sent and removed by a concurrent flush.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
      throw error
    }
    let answer: JsonAnswer
    try {
      answer = await send(body, pathFor(body))
    } catch (error) {
      if (!(error instanceof NetworkError)) throw error
      result.unreachable = error.code
      result.remaining = files.length - index
      return result
    }
    if (answer.status === STATUS.created || answer.status === STATUS.ok) {
      await rm(file, {force: true})
      await syncDir(paths.queue)
      ;(answer.status === STATUS.created ? result.sent : result.duplicates).push(name)
    } else if (answer.status >= 400 && answer.status < 500 && answer.status !== 408 && answer.status !== 429) {
      const error = errorText(answer)
      await reject(paths, name, answer.status, error)
      result.rejected.push({error, file: name, status: answer.status})
    } else {
      result.unreachable = `HTTP ${answer.status}`
      result.remaining = files.length - index
      return result
    }
  }
  return result
}

async function reject(paths: AgentPaths, name: string, status: number, error: string): Promise<void> {
  await mkdir(paths.rejected, {recursive: true, mode: 0o700})
  // The reason first: a crash between the two leaves the report queued, never lost.
  await writeFileAtomic(join(paths.rejected, name.replace(/\.json$/, '.reason.json')), `${JSON.stringify({error, rejected_at: new Date().toISOString(), status}, null, 2)}\n`)
  await rename(join(paths.queue, name), join(paths.rejected, name))
  await syncDir(paths.queue)
  await syncDir(paths.rejected)
}
