// What `audit --report` and `report --flush` do with the queue: enqueue first, then flush it all
// over one keep-alive mutual-TLS connection.
import {EXIT} from '../cli/exit-codes.js'
import type {Lang} from '../i18n/lang.js'
import {t} from '../i18n/messages.js'
import {type AgentIdentity, DEFAULT_TIMEOUT_MS} from './enrollment.js'
import {type AgentPaths, agentPaths} from './paths.js'
import {enqueue, flushQueue, type FlushResult, type Queueable, type QueuedReport} from './queue.js'
import {createUploader} from './uploader.js'

export function timeoutFromEnv(env: Record<string, string | undefined> = process.env): number {
  // NMG_COLLECTOR_TIMEOUT_MS lets tests (and slow links) change how long one request may take.
  const ms = Number(env.NMG_COLLECTOR_TIMEOUT_MS)
  return Number.isInteger(ms) && ms > 0 ? ms : DEFAULT_TIMEOUT_MS
}

/**
 * Sends everything queued — reports and incident notices alike, oldest first, each to its own
 * path — over one connection.
 */
export async function flushWith(identity: AgentIdentity, paths: AgentPaths = agentPaths(), timeoutMs = timeoutFromEnv()): Promise<FlushResult> {
  const uploader = createUploader(identity, timeoutMs)
  try {
    return await flushQueue(paths, uploader.send)
  } finally {
    uploader.close()
  }
}

/** Queues a report or an incident notice, then flushes the whole queue. */
export async function submitReport<T extends Queueable>(identity: AgentIdentity, item: T, paths: AgentPaths = agentPaths()): Promise<FlushResult> {
  await enqueue(paths, item)
  return flushWith(identity, paths)
}

/**
 * Exit-code precedence for a command that sends reports: 4 (collector unreachable, work kept in the
 * queue) beats 1 (a report rejected for good), which beats the audit's own 3 (non-compliant). A
 * scheduler seeing 3 would believe the collector has the result; with 4 it knows it does not yet,
 * and the non-compliance still reaches the collector with the queued report.
 */
export function flushExitCode(result: FlushResult, auditCode: number = EXIT.ok): number {
  if (result.unreachable) return EXIT.unreachable
  if (result.rejected.length > 0) return EXIT.error
  return auditCode
}

export interface FlushSummary {
  sent: number
  duplicates: number
  rejected: number
  remaining: number
  /** Why the flush stopped (a network error code or an HTTP 5xx), or null. */
  unreachable: null | string
}

export interface FlushOutcome {
  summary: FlushSummary
  exitCode: number
  /** Translated warnings: each rejected report, and the unreachable collector. */
  messages: string[]
}

export async function reportFlush(identity: AgentIdentity, paths: AgentPaths, lang: Lang, auditCode: number = EXIT.ok, pending?: QueuedReport): Promise<FlushOutcome> {
  const result = pending ? await submitReport(identity, pending, paths) : await flushWith(identity, paths)
  const messages = result.rejected.map((r) => t(lang, 'agent.rejected', {error: r.error, file: r.file, status: r.status}))
  if (result.unreachable) messages.push(t(lang, 'agent.queuedOffline', {code: result.unreachable, remaining: result.remaining, url: identity.url}))
  const summary = {
    duplicates: result.duplicates.length,
    rejected: result.rejected.length,
    remaining: result.remaining,
    sent: result.sent.length,
    unreachable: result.unreachable,
  }
  return {exitCode: flushExitCode(result, auditCode), messages, summary}
}
