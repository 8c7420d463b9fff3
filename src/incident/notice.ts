// The incident notice for the collector (nm-guard/incident@1): written to the offline queue first,
// like a report, and sent at once only when the collector is still reachable (--keep-collector, or
// after reconnect). When the PC is cut off it waits in the queue for the next flush.
import {randomUUID} from 'node:crypto'

import {loadEnrollment, requireIdentity} from '../agent/identity.js'
import {agentPaths} from '../agent/paths.js'
import {enqueue} from '../agent/queue.js'
import {flushWith} from '../agent/reporting.js'
import {INCIDENT_SCHEMA_ID, type IncidentNotice} from '../collector/protocol.js'
import type {Journal} from './types.js'
import type {LocalText} from '../i18n/messages.js'

export type NoticeOutcome = 'failed' | 'not-enrolled' | 'queued' | 'sent'

export interface NoticeOptions {
  event: IncidentNotice['event']
  journal: Journal
  manifestSha256: null | string
  /** Try to send the queue now. */
  flush: boolean
  now: () => Date
  root: string
}

export interface NoticeResult {
  outcome: NoticeOutcome
  /** Message keys and parameters, translated by the caller. */
  warnings: LocalText[]
}

export function buildNotice(options: NoticeOptions, agentId: string): IncidentNotice {
  const {journal} = options
  return {
    agent_id: agentId,
    at: options.now().toISOString(),
    event: options.event,
    evidence_sha256: options.manifestSha256,
    hostname: journal.hostname,
    incident_id: journal.incident_id,
    keep_collector: journal.keep_collector !== null,
    method: journal.method,
    notice_id: randomUUID(),
    reason: journal.reason,
    schema: INCIDENT_SCHEMA_ID,
  }
}

export async function queueIncidentNotice(options: NoticeOptions): Promise<NoticeResult> {
  const paths = agentPaths(options.root)
  const enrollment = await loadEnrollment(paths).catch(() => null)
  if (!enrollment) return {outcome: 'not-enrolled', warnings: [{key: 'incident.noticeNotEnrolled', params: {}}]}
  try {
    await enqueue(paths, buildNotice(options, enrollment.agent_id), options.now())
  } catch (error) {
    return {outcome: 'failed', warnings: [{key: 'incident.noticeFailed', params: {error: (error as Error).message}}]}
  }
  if (!options.flush) return {outcome: 'queued', warnings: []}
  return flushNotices(options.root)
}

/** Sends everything queued (the notices and any reports that waited while the PC was cut off). */
export async function flushNotices(root: string): Promise<NoticeResult> {
  const paths = agentPaths(root)
  try {
    const result = await flushWith(await requireIdentity(paths), paths)
    if (result.unreachable) return {outcome: 'queued', warnings: [{key: 'incident.noticeQueued', params: {code: result.unreachable}}]}
    // Another flush holds the queue: it (or the next one) sends the notice.
    if (result.busy) return {outcome: 'queued', warnings: [{key: 'agent.flushBusy', params: {pid: result.busy.pid ?? '?', remaining: result.remaining}}]}
    return {outcome: 'sent', warnings: result.rejected.map((r) => ({key: 'agent.rejected', params: {error: r.error, file: r.file, status: r.status}}))}
  } catch (error) {
    return {outcome: 'queued', warnings: [{key: 'incident.noticeQueued', params: {code: (error as Error).message}}]}
  }
}
