// What `audit --report` and `report --flush` do with the queue: enqueue first, then flush it all
// over one keep-alive mutual-TLS connection.
import {existsSync} from 'node:fs'
import {basename} from 'node:path'
import {dirname} from 'node:path'

import {EXIT} from '../cli/exit-codes.js'
import {STATUS} from '../collector/protocol.js'
import type {Exec, Platform} from '../os/types.js'
import {guardStateDir} from '../os/state-dir-guard.js'
import type {Lang} from '../i18n/lang.js'
import {hasMessage, type MessageKey, t} from '../i18n/messages.js'
import {type AgentIdentity, DEFAULT_TIMEOUT_MS} from './enrollment.js'
import {errorText, NetworkError} from './https-request.js'
import {keptAddresses} from './kept-route.js'
import {type AgentPaths, agentPaths} from './paths.js'
import {diskErrorCode, enqueue, FLUSH_LOCK_WAIT_MS, type FlushOptions, flushQueue, type FlushResult, MAX_QUEUED_BYTES, pathFor, type Queueable, type QueuedReport, type QueueWrite, type Send} from './queue.js'
import {createUploader} from './uploader.js'

export function timeoutFromEnv(env: Record<string, string | undefined> = process.env): number {
  // NMG_COLLECTOR_TIMEOUT_MS lets tests (and slow links) change how long one request may take.
  const ms = Number(env.NMG_COLLECTOR_TIMEOUT_MS)
  return Number.isInteger(ms) && ms > 0 ? ms : DEFAULT_TIMEOUT_MS
}

/** How long a flush waits for another one to finish; NMG_FLUSH_WAIT_MS changes it (tests). */
export function lockWaitFromEnv(env: Record<string, string | undefined> = process.env): number {
  const ms = Number(env.NMG_FLUSH_WAIT_MS)
  return env.NMG_FLUSH_WAIT_MS !== undefined && Number.isInteger(ms) && ms >= 0 ? ms : FLUSH_LOCK_WAIT_MS
}

/** A document that could not be written to the queue, sent without it. */
export interface DirectSend {
  /** Why it could not be queued (ENOSPC, EDQUOT, EROFS, EACCES, EPERM). */
  code: string
  outcome: 'duplicate' | 'rejected' | 'sent' | 'unreachable'
  /** The network error, or the collector's error for a rejection. */
  error?: string
  status?: number
}

export interface SubmitResult extends FlushResult {
  /** Set when the document could not be queued: what sending it directly gave. */
  direct: DirectSend | null
  /** The queue file of the submitted document (null when it could not be queued). */
  queuedAs: null | string
}

export interface SubmitOptions {
  /** Replaces the queue's file write (tests: a full disk). */
  write?: QueueWrite
  timeoutMs?: number
  flush?: FlushOptions
}

const defaultFlushOptions = (): FlushOptions => ({lock: {waitMs: lockWaitFromEnv()}})

/**
 * Sends everything queued — reports and incident notices alike, oldest first, each to its own
 * path — over one connection.
 */
export async function flushWith(identity: AgentIdentity, paths: AgentPaths = agentPaths(), timeoutMs = timeoutFromEnv(), options: FlushOptions = defaultFlushOptions()): Promise<FlushResult> {
  const uploader = createUploader(identity, timeoutMs, await keptAddresses(identity.url, paths))
  try {
    return await flushQueue(paths, uploader.send, options)
  } finally {
    uploader.close()
  }
}

/**
 * Queues a report or an incident notice, then flushes the whole queue. When the queue cannot take
 * it (a full or read-only disk, no permission), the document is sent directly after the queue.
 */
export async function submitReport<T extends Queueable>(identity: AgentIdentity, item: T, paths: AgentPaths = agentPaths(), options: SubmitOptions = {}): Promise<SubmitResult> {
  let queuedAs: null | string = null
  let notQueued: null | string = null
  try {
    queuedAs = await enqueue(paths, item, new Date(), options.write)
  } catch (error) {
    notQueued = diskErrorCode(error)
    if (!notQueued) throw error
  }
  const uploader = createUploader(identity, options.timeoutMs ?? timeoutFromEnv(), await keptAddresses(identity.url, paths))
  try {
    const result = await flushQueue(paths, uploader.send, options.flush ?? defaultFlushOptions())
    const direct = notQueued ? await sendDirect(uploader.send, JSON.stringify(item), notQueued, result.unreachable) : null
    return {...result, direct, queuedAs}
  } finally {
    uploader.close()
  }
}

async function sendDirect(send: Send, body: string, code: string, unreachable: null | string): Promise<DirectSend> {
  // The queue just failed to reach the collector: this one would not get through either.
  if (unreachable) return {code, error: unreachable, outcome: 'unreachable'}
  try {
    const answer = await send(body, pathFor(body))
    if (answer.status === STATUS.created) return {code, outcome: 'sent'}
    if (answer.status === STATUS.ok) return {code, outcome: 'duplicate'}
    if (answer.status >= 400 && answer.status < 500 && answer.status !== 408 && answer.status !== 429) return {code, error: errorText(answer), outcome: 'rejected', status: answer.status}
    return {code, error: `HTTP ${answer.status}`, outcome: 'unreachable'}
  } catch (error) {
    if (!(error instanceof NetworkError)) throw error
    return {code, error: error.code, outcome: 'unreachable'}
  }
}

/**
 * Exit-code precedence for a command that sends reports: 4 (not delivered: collector unreachable,
 * work kept in the queue) beats 1 (a report rejected for good), which beats the audit's own 3
 * (non-compliant). A scheduler seeing 3 would believe the collector has the result; with 4 it knows
 * it does not yet, and the non-compliance still reaches the collector with the queued report.
 * `pendingQueued`: the submitted report is still in the queue after this run (another flush held
 * the lock): not delivered either.
 */
export function flushExitCode(result: FlushResult & Partial<Pick<SubmitResult, 'direct'>>, auditCode: number = EXIT.ok, pendingQueued = false): number {
  if (result.unreachable || result.direct?.outcome === 'unreachable' || pendingQueued) return EXIT.unreachable
  if (result.rejected.length > 0 || result.direct?.outcome === 'rejected') return EXIT.error
  return auditCode
}

export interface FlushSummary {
  sent: number
  duplicates: number
  rejected: number
  remaining: number
  /** Why the flush stopped (a network error code or an HTTP 5xx), or null. */
  unreachable: null | string
  /** Another flush was running: this one left the queue to it. */
  busy: boolean
  /** Entries of the queue folder that are not queued documents (left alone). */
  skipped: string[]
  /** Why the report could not be queued (it was sent directly, if the collector answered), or null. */
  unqueued: null | string
}

/** What became of the report `audit --report` submitted (the one line it prints, and `delivery` in --json). */
export interface Delivery {
  report_id: string
  /**
   * sent (201) · already_stored (200) · queued (kept for the next run: `reason` says why) ·
   * rejected (4xx: moved to queue/rejected/) · handed_over (another run's flush took it from the
   * queue) · lost (it could neither be queued nor sent).
   */
  outcome: 'already_stored' | 'handed_over' | 'lost' | 'queued' | 'rejected' | 'sent'
  /** The collector's HTTP status, when it answered. */
  status: null | number
  /** Why it was not delivered: a network error code, an HTTP 5xx, `busy` (another flush), or the collector's error. */
  reason: null | string
}

export interface FlushOutcome {
  summary: FlushSummary
  exitCode: number
  /** Translated warnings: each rejected report, and the unreachable collector. */
  messages: string[]
  /** The submitted report's fate; null for a plain flush. */
  delivery: Delivery | null
}

export interface ReportFlushOptions {
  submit?: SubmitOptions
  /** The PC this process runs on, for the state folder's guard (default: this one; tests stand in for Windows). */
  host?: {exec: Exec; platform: Platform}
}

export async function reportFlush(identity: AgentIdentity, paths: AgentPaths, lang: Lang, auditCode: number = EXIT.ok, pending?: QueuedReport, options: ReportFlushOptions = {}): Promise<FlushOutcome> {
  // Before the queue is written (#11 2.1): for audit --report the audit checked already, once per process.
  const stateDirWarning = await guardStateDir({dir: dirname(paths.queue), exec: options.host?.exec, lang, platform: options.host?.platform})
  const result: SubmitResult = pending ? await submitReport(identity, pending, paths, options.submit) : {...(await flushWith(identity, paths)), direct: null, queuedAs: null}
  const messages = stateDirWarning ? [stateDirWarning] : []
  messages.push(...result.skipped.map((s) => t(lang, 'agent.foreign', {file: s.file, reason: t(lang, `agent.foreign.${s.kind}`, {max: MAX_QUEUED_BYTES})})))
  messages.push(...result.rejected.map((r) => t(lang, 'agent.rejected', {error: r.error, file: r.file, status: r.status})))
  if (result.unreachable) messages.push(t(lang, 'agent.queuedOffline', {code: result.unreachable, remaining: result.remaining, url: identity.url}))
  if (result.direct) messages.push(directMessage(lang, result.direct, identity.url))
  // Another flush held the lock: did it take the submitted report with it?
  const pendingQueued = result.busy !== null && result.queuedAs !== null && existsSync(result.queuedAs)
  if (result.busy) messages.push(t(lang, pendingQueued ? 'agent.flushBusyQueued' : 'agent.flushBusy', {pid: result.busy.pid ?? '?', remaining: result.remaining}))
  const directSent = result.direct?.outcome === 'sent' ? 1 : 0
  const summary: FlushSummary = {
    busy: result.busy !== null,
    duplicates: result.duplicates.length + (result.direct?.outcome === 'duplicate' ? 1 : 0),
    rejected: result.rejected.length + (result.direct?.outcome === 'rejected' ? 1 : 0),
    remaining: result.remaining,
    sent: result.sent.length + directSent,
    skipped: result.skipped.map((s) => s.file),
    unqueued: result.direct?.code ?? null,
    unreachable: result.unreachable ?? (result.direct?.outcome === 'unreachable' ? (result.direct.error ?? null) : null),
  }
  const delivery = pending ? deliveryOf(pending.report_id, result, pendingQueued) : null
  return {delivery, exitCode: flushExitCode(result, auditCode, pendingQueued), messages, summary}
}

function deliveryOf(reportId: string, result: SubmitResult, stillQueued: boolean): Delivery {
  const base = {report_id: reportId, status: null, reason: null}
  const direct = result.direct
  if (direct) {
    if (direct.outcome === 'sent') return {...base, outcome: 'sent', status: STATUS.created}
    if (direct.outcome === 'duplicate') return {...base, outcome: 'already_stored', status: STATUS.ok}
    if (direct.outcome === 'rejected') return {...base, outcome: 'rejected', reason: direct.error ?? null, status: direct.status ?? null}
    return {...base, outcome: 'lost', reason: direct.error ?? direct.code}
  }
  const name = result.queuedAs === null ? '' : basename(result.queuedAs)
  if (result.sent.includes(name)) return {...base, outcome: 'sent', status: STATUS.created}
  if (result.duplicates.includes(name)) return {...base, outcome: 'already_stored', status: STATUS.ok}
  const rejected = result.rejected.find((r) => r.file === name)
  if (rejected) return {...base, outcome: 'rejected', reason: rejected.error, status: rejected.status}
  // Another flush held the queue and the file is gone: that run sent (or refused) it.
  if (result.busy && !stillQueued) return {...base, outcome: 'handed_over', reason: 'busy'}
  return {...base, outcome: 'queued', reason: result.unreachable ?? (result.busy ? 'busy' : null)}
}

/** The one line `audit --report` prints about its report, in the user's language. */
export function deliveryLine(lang: Lang, delivery: Delivery, url: string): string {
  const params = {id: delivery.report_id, reason: delivery.reason ?? '-', status: delivery.status ?? '-', url}
  if (delivery.outcome === 'queued') return t(lang, delivery.reason === 'busy' ? 'agent.delivery.queuedBusy' : 'agent.delivery.queued', params)
  return t(lang, DELIVERY_KEYS[delivery.outcome], params)
}

const DELIVERY_KEYS: Record<Exclude<Delivery['outcome'], 'queued'>, MessageKey> = {
  already_stored: 'agent.delivery.alreadyStored',
  handed_over: 'agent.delivery.handedOver',
  lost: 'agent.delivery.lost',
  rejected: 'agent.delivery.rejected',
  sent: 'agent.delivery.sent',
}

function directMessage(lang: Lang, direct: DirectSend, url: string): string {
  // An error code without a wording of its own (EIO…) is shown as it is, never as a key.
  const diskKey = `agent.diskError.${direct.code}`
  const reason = hasMessage(diskKey) ? t(lang, diskKey) : direct.code
  const params = {code: direct.code, error: direct.error ?? '', reason, status: direct.status ?? '', url}
  if (direct.outcome === 'rejected') return t(lang, 'agent.notQueued.rejected', params)
  if (direct.outcome === 'unreachable') return t(lang, 'agent.notQueued.unreachable', params)
  return t(lang, 'agent.notQueued.sent', params)
}
