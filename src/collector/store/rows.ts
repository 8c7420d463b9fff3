// What the store takes and gives back: plain rows, the same for both databases.
import type {AgentIncident, IncidentEvent} from '../protocol.js'

export interface AgentRow {
  agent_id: string
  hostname: string
  cert_fingerprint: string
  cert_serial: string
  enrolled_at: string
  revoked_at: null | string
  last_seen: null | string
}

export interface TokenRow {
  hash: string
  expires_at: string
  uses_left: number
}

export interface ReportRow {
  report_id: string
  agent_id: string
  generated_at: string
  received_at: string
  score: null | number
  /** Ids of the checks that failed. */
  failing: string[]
  /** The report as received. */
  body: unknown
  /**
   * `body` as the JSON text it was parsed from, when the caller has it: stored as is, which
   * spares serialising a ~27 KB document again on the ingest path. Never returned by the store.
   */
  body_text?: string
  /**
   * Clause ids (四(二)-7 …) of the failing checks, when the caller worked them out from the body:
   * kept on the agent row for its newest report, so the dashboard never reads report bodies.
   */
  failing_clauses?: string[]
}

/** A report without its body: what the fleet overview and an agent's history need. */
export type ReportSummaryRow = Omit<ReportRow, 'body' | 'body_text' | 'failing_clauses'>

export interface ReportExportRow extends ReportSummaryRow {
  hostname: string
}

/** A place in the newest-first order of reports (received_at, then report_id): a page starts after it. */
export interface ReportCursor {
  received_at: string
  report_id: string
}

export interface ReportSummaryPage {
  /** Newest first, at most the limit asked for. */
  reports: ReportSummaryRow[]
  /** Where the next (older) page starts, or null when there is none. */
  older: null | ReportCursor
}

/** Reports received in [from, to): both ISO times, either open. */
export interface ExportPeriod {
  from?: string
  to?: string
}

/** An agent whose newest report was stored before the collector kept failing clauses (migration 3). */
export interface MissingClauses {
  agent_id: string
  report_id: string
}

/** What failed authentication is counted against: a fixed set, so the table stays bounded. */
export type AuthScope = 'api-admin' | 'dashboard-login' | 'enroll'

/** What the fleet overview shows of an agent (no certificate details). */
export type AgentSummary = Pick<AgentRow, 'agent_id' | 'enrolled_at' | 'hostname' | 'last_seen' | 'revoked_at'>

export interface LatestReport extends ReportSummaryRow {
  /** Clauses of its failing checks; null when it was stored before the collector kept them (migration 3). */
  failing_clauses: null | string[]
}

/** An agent's latest incident event (by `at`). */
export interface LatestIncident {
  event: IncidentEvent
  at: string
}

export interface AgentWithLatest {
  agent: AgentSummary
  /** The report the collector received from it last, or null when it never reported. */
  latest: LatestReport | null
  /** Its newest incident notice, or null when it never sent one. */
  incident: LatestIncident | null
}


/** One stored incident notice (nm-guard/incident@1) without its body; `at` is normalised to toISOString(). */
export interface IncidentRow extends AgentIncident {
  agent_id: string
}
