// Rows to statement parameters (named, as in sql.ts) and driver rows back to the store's rows.
import type {AgentRow, AgentWithLatest, IncidentRow, ReportExportRow, ReportRow, ReportSummaryRow} from './rows.js'

/** Statement parameters by name (@name in sql.ts). */
export type Params = Record<string, unknown>

/** A row as the drivers return it, keyed by column name. */
export type Raw = Record<string, unknown>

/** Every parameter of insertReport, setLatest, touchAgent and insertReportWithLatest. */
export function reportParams(r: ReportRow): Params {
  return {
    report_id: r.report_id,
    agent_id: r.agent_id,
    generated_at: r.generated_at,
    received_at: r.received_at,
    score: r.score,
    failing: JSON.stringify(r.failing),
    body: r.body_text ?? JSON.stringify(r.body),
    failing_clauses: r.failing_clauses ? JSON.stringify(r.failing_clauses) : null,
  }
}

/** Every parameter of insertIncident and setIncident. */
export function incidentParams(i: IncidentRow, bodyText: string): Params {
  const {notice_id, incident_id, agent_id, event, at, received_at, hostname, method, reason, evidence_sha256} = i
  return {notice_id, incident_id, agent_id, event, at, received_at, hostname, method, reason, evidence_sha256, keep_collector: i.keep_collector ? 1 : 0, body: bodyText}
}

export const agentParams = (a: AgentRow): Params => ({...a})

const text = (value: unknown): null | string => (value == null ? null : String(value))

export function toAgent(row: Raw): AgentRow {
  return {
    agent_id: String(row.agent_id),
    hostname: String(row.hostname),
    cert_fingerprint: String(row.cert_fingerprint),
    cert_serial: String(row.cert_serial),
    enrolled_at: String(row.enrolled_at),
    revoked_at: text(row.revoked_at),
    last_seen: text(row.last_seen),
  }
}

export function toSummary(row: Raw): ReportSummaryRow {
  return {
    report_id: String(row.report_id),
    agent_id: String(row.agent_id),
    generated_at: String(row.generated_at),
    received_at: String(row.received_at),
    score: row.score == null ? null : Number(row.score),
    failing: JSON.parse(String(row.failing)) as string[],
  }
}

export function toReport(row: Raw): ReportRow {
  return {...toSummary(row), body: JSON.parse(String(row.body))}
}

export function toExportRow(row: Raw): ReportExportRow {
  const {agent_id, report_id, ...rest} = toSummary(row)
  // hostname third: the JSON export keeps the CSV's column order.
  return {report_id, agent_id, hostname: String(row.hostname), ...rest}
}

/**
 * Parses JSON id lists (failing checks, failing clauses), once per distinct text: across a fleet
 * most PCs fail the same few checks, and at 10,000 agents the overview's time went mostly to the
 * garbage collector, not to the query. One cache lives for one listing only (the caller makes it),
 * so it never outgrows that listing. The arrays are shared between agents: never mutate them.
 */
export class IdListCache {
  private readonly parsed = new Map<string, string[]>()

  get(text: unknown): string[] {
    const key = String(text)
    let list = this.parsed.get(key)
    if (!list) {
      list = JSON.parse(key) as string[]
      this.parsed.set(key, list)
    }
    return list
  }
}

/**
 * One row of SQL.listAgentsWithLatest read as an array (better-sqlite3 raw(), pg rowMode 'array'):
 * at 10,000 agents, building a keyed object per row and copying it into another was a third of
 * the overview's time. `lists` is shared by the rows of one listing.
 */
export function toAgentWithLatest(row: unknown[], lists: IdListCache = new IdListCache()): AgentWithLatest {
  const [agentId, hostname, enrolledAt, revokedAt, lastSeen, reportId, generatedAt, receivedAt, score, failing, clauses, event, eventAt] = row
  const agent_id = String(agentId)
  return {
    agent: {agent_id, hostname: String(hostname), enrolled_at: String(enrolledAt), revoked_at: text(revokedAt), last_seen: text(lastSeen)},
    latest:
      reportId == null
        ? null
        : {
            report_id: String(reportId),
            agent_id,
            generated_at: String(generatedAt),
            received_at: String(receivedAt),
            score: score == null ? null : Number(score),
            failing: lists.get(failing),
            failing_clauses: clauses == null ? null : lists.get(clauses),
          },
    incident: event === 'isolated' || event === 'reconnected' ? {event, at: String(eventAt)} : null,
  }
}

export function toIncident(row: Raw): IncidentRow {
  return {
    notice_id: String(row.notice_id),
    incident_id: String(row.incident_id),
    agent_id: String(row.agent_id),
    event: row.event === 'isolated' ? 'isolated' : 'reconnected',
    at: String(row.at),
    received_at: String(row.received_at),
    hostname: String(row.hostname),
    method: text(row.method),
    reason: text(row.reason),
    evidence_sha256: text(row.evidence_sha256),
    keep_collector: Number(row.keep_collector) === 1,
  }
}


/** The source's own count, or else its window's overflow count ('*'), or 0: rows of SQL.authFailures. */
export function ownOrOverflow(rows: Raw[], source: string): number {
  const row = rows.find((r) => r.source === source) ?? rows.find((r) => r.source === '*')
  return row ? Number(row.failures) : 0
}
